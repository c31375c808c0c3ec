// Search while tweets are being posted (twin of Search.java): RATE searches/s (70 % tweets with
// words, #tags, @mentions and "phrases"; 15 % users by prefix; 15 % trends over 1h or 24h) for
// DURATION s, while seeded users post POST_RATE tweets/s (default 5).
//   k6 run -e BASE_URL=http://localhost:8080 -e RATE=50 -e DURATION=60 load-tests/k6/search.js
import http from 'k6/http';
import { check } from 'k6';
import * as chirp from './lib/chirp.js';

const cfg = chirp.config(100, 50);
const postRate = Number(__ENV.POST_RATE || 5);
const graph = chirp.parseGraph(open(__ENV.GRAPH || '../../../shared/data/socfb-Reed98.edges'));
const QUERIES = ['distributed', 'caches', 'timelines', 'coffee exams', '#reed', '#chirp', '#kafka', '#sharding',
  '"fan out"', '"distributed systems"', 'music', 'followers'];

export const options = {
  setupTimeout: '300s',
  summaryTrendStats: chirp.summaryTrendStats,
  scenarios: {
    searches: chirp.arrivals('searches', cfg.rate, cfg.duration),
    posts: chirp.arrivals('posts', postRate, cfg.duration, 20),
  },
  thresholds: chirp.thresholds(cfg),
};

export function setup() {
  return { accounts: Object.values(chirp.login(cfg, chirp.sample(graph, cfg.users))) };
}

function items(name, path) {
  const res = http.get(`${cfg.baseUrl}${path}`, { tags: { name } });
  check(res, { [`${name} 200`]: (r) => r.status === 200 && Array.isArray(r.json('items')) });
}

export function searches(data) {
  const someone = chirp.pick(data.accounts);
  const dice = Math.random() * 100;
  if (dice < 70) {
    const q = Math.random() < 0.2 ? `@${someone.username}` : chirp.pick(QUERIES);
    items('search tweets', `/api/v1/search/tweets?q=${encodeURIComponent(q)}`);
  } else if (dice < 85) {
    items('search users', `/api/v1/search/users?q=${encodeURIComponent(someone.username.slice(0, 6))}`);
  } else {
    items('trends', `/api/v1/trends?window=${Math.random() < 0.25 ? '24h' : '1h'}`);
  }
}

export function posts(data) {
  chirp.compose(cfg, chirp.pick(data.accounts).token, chirp.tweetText());
}
