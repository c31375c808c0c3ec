// Read-heavy open workload (twin of HomeTimelineRead.java): home timeline reads arriving at RATE/s
// for DURATION s, as USERS seeded users logged in during setup().
//   k6 run -e BASE_URL=http://localhost:8080 -e RATE=200 -e DURATION=60 load-tests/k6/home-timeline-read.js
import * as chirp from './lib/chirp.js';

const cfg = chirp.config(200, 200);
const graph = chirp.parseGraph(open(__ENV.GRAPH || '../../../shared/data/socfb-Reed98.edges'));

export const options = {
  setupTimeout: '300s',
  summaryTrendStats: chirp.summaryTrendStats,
  scenarios: { reads: chirp.arrivals('reads', cfg.rate, cfg.duration) },
  thresholds: chirp.thresholds(cfg),
};

export function setup() {
  return { accounts: Object.values(chirp.login(cfg, chirp.sample(graph, cfg.users))) };
}

export function reads(data) {
  chirp.homeTimeline(cfg, chirp.pick(data.accounts).token);
}
