// Posting at RATE/s plus a fan-out visibility probe (twin of ComposeFanout.java). The probe
// (PROBE_RATE/s, default 1): a seeded author posts, one of their followers polls their home
// timeline every POLL_MS ms (default 50) until the tweet is there, at most VISIBILITY_TIMEOUT_MS
// (default 5000). The wait is the trend `fanout_visibility` (med = p50, p(99) in the summary);
// a probe that never sees its tweet counts in `fanout_timeouts`, which must stay 0.
//   k6 run -e BASE_URL=http://localhost:8080 -e RATE=20 -e DURATION=60 load-tests/k6/compose-fanout.js
import { check, sleep } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import * as chirp from './lib/chirp.js';

const cfg = chirp.config(200, 20);
const probeRate = Number(__ENV.PROBE_RATE || 1);
const pollMs = Number(__ENV.POLL_MS || 50);
const timeoutMs = Number(__ENV.VISIBILITY_TIMEOUT_MS || 5000);
const graph = chirp.parseGraph(open(__ENV.GRAPH || '../../../shared/data/socfb-Reed98.edges'));

const visibility = new Trend('fanout_visibility', true);
const timeouts = new Counter('fanout_timeouts');

export const options = {
  setupTimeout: '300s',
  summaryTrendStats: chirp.summaryTrendStats,
  scenarios: {
    posters: chirp.arrivals('posters', cfg.rate, cfg.duration),
    probe: chirp.arrivals('probe', probeRate, cfg.duration, 20),
  },
  thresholds: chirp.thresholds(cfg, {
    fanout_visibility: [`p(99)<${timeoutMs}`],
    fanout_timeouts: ['count==0'],
  }),
};

export function setup() {
  const sample = chirp.sample(graph, cfg.users);
  // probe pairs: an author of the sample and one of their followers (a graph neighbour)
  const pairs = sample.slice(0, 20).map((author) => [author, graph[author][0]]);
  const accounts = chirp.login(cfg, sample.concat(pairs.map((p) => p[1])));
  return {
    accounts: sample.map((n) => accounts[n]),
    pairs: pairs.map(([a, f]) => ({ author: accounts[a], follower: accounts[f] })),
  };
}

export function posters(data) {
  chirp.compose(cfg, chirp.pick(data.accounts).token, chirp.tweetText());
}

export function probe(data) {
  const pair = chirp.pick(data.pairs);
  const id = chirp.compose(cfg, pair.author.token, chirp.tweetText('probe'), 'probe: compose');
  if (id === null) {
    return;
  }
  const postedAt = Date.now();
  for (;;) {
    const page = chirp.homeTimeline(cfg, pair.follower.token, 'probe: follower home', '?limit=100');
    if (page.status === 200 && page.body.includes(`"${id}"`)) {
      visibility.add(Date.now() - postedAt);
      check(page, { 'fan-out visible': () => true });
      return;
    }
    if (Date.now() - postedAt >= timeoutMs) {
      timeouts.add(1);
      check(page, { 'fan-out visible': () => false });
      return;
    }
    sleep(pollMs / 1000);
  }
}
