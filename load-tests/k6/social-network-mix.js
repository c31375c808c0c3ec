// DeathStarBench's social-network mix on the seeded Reed98 graph (twin of SocialNetworkMix.java):
// 60 % home timeline, 30 % user timeline, 10 % compose, RATE requests/s for DURATION s, as USERS
// seeded users logged in during setup().
//   k6 run -e BASE_URL=http://localhost:8080 -e RATE=100 -e DURATION=60 load-tests/k6/social-network-mix.js
import * as chirp from './lib/chirp.js';

const cfg = chirp.config(200, 100);
const graph = chirp.parseGraph(open(__ENV.GRAPH || '../../../shared/data/socfb-Reed98.edges'));

export const options = {
  setupTimeout: '300s',
  summaryTrendStats: chirp.summaryTrendStats,
  scenarios: { mix: chirp.arrivals('mix', cfg.rate, cfg.duration) },
  thresholds: chirp.thresholds(cfg),
};

export function setup() {
  return { accounts: Object.values(chirp.login(cfg, chirp.sample(graph, cfg.users))) };
}

export function mix(data) {
  const me = chirp.pick(data.accounts);
  const dice = Math.random() * 100;
  if (dice < 60) {
    chirp.homeTimeline(cfg, me.token);
  } else if (dice < 90) {
    chirp.userTimeline(cfg, chirp.pick(data.accounts).id);
  } else {
    chirp.compose(cfg, me.token, chirp.tweetText());
  }
}
