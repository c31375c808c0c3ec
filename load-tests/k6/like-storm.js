// Many users like the same few tweets (twin of LikeStorm.java): RATE PUT /api/v1/tweets/{id}/likes/me
// per second for DURATION s by USERS seeded users on TWEETS (default 3) tweets posted in setup().
// k6 VUs share no memory, so the exact "distinct likers who got 204" set cannot be gathered across
// VUs as Gatling does; instead every like must answer 204 (http_req_failed{name:like} == 0), and
// teardown() checks, per tweet, that GET /api/v1/tweets/{id}/likes counts exactly the distinct
// likers it lists (all pages), that they are all users of this run, and that there is at least one.
//   k6 run -e BASE_URL=http://localhost:8080 -e RATE=50 -e DURATION=60 load-tests/k6/like-storm.js
import http from 'k6/http';
import { check, sleep } from 'k6';
import * as chirp from './lib/chirp.js';

const cfg = chirp.config(200, 50);
const tweetCount = Number(__ENV.TWEETS || 3);
const countTimeoutMs = Number(__ENV.COUNT_TIMEOUT_MS || 10000);
const graph = chirp.parseGraph(open(__ENV.GRAPH || '../../../shared/data/socfb-Reed98.edges'));

export const options = {
  setupTimeout: '300s',
  summaryTrendStats: chirp.summaryTrendStats,
  scenarios: { storm: chirp.arrivals('storm', cfg.rate, cfg.duration) },
  thresholds: chirp.thresholds(cfg, {
    'http_req_failed{name:like}': ['rate==0'],
    'checks{final:yes}': ['rate==1'],
  }),
};

export function setup() {
  const accounts = Object.values(chirp.login(cfg, chirp.sample(graph, cfg.users)));
  const tweets = [];
  for (let i = 0; i < tweetCount; i++) {
    tweets.push(chirp.compose(cfg, accounts[0].token, chirp.tweetText('like storm target'), 'setup: compose'));
  }
  return { accounts, tweets };
}

export function storm(data) {
  const me = chirp.pick(data.accounts);
  const res = chirp.put(cfg, `/api/v1/tweets/${chirp.pick(data.tweets)}/likes/me`, me.token, 'like');
  check(res, { 'like 204': (r) => r.status === 204 });
}

function likers(tweetId) {
  const ids = new Set();
  let cursor = null;
  let count = -1;
  do {
    const res = http.get(`${cfg.baseUrl}/api/v1/tweets/${tweetId}/likes?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { tags: { name: 'like list' } });
    if (res.status !== 200) {
      return { ids, count: -1 };
    }
    if (count < 0) {
      count = res.json('count');
    }
    res.json('items').forEach((item) => ids.add(item.userId));
    cursor = res.json('nextCursor');
  } while (cursor);
  return { ids, count };
}

export function teardown(data) {
  const ours = new Set(data.accounts.map((a) => a.id));
  for (const tweetId of data.tweets) {
    const start = Date.now();
    let seen = likers(tweetId);
    while (seen.count !== seen.ids.size && Date.now() - start < countTimeoutMs) {
      sleep(0.2);
      seen = likers(tweetId);
    }
    console.log(`tweet ${tweetId}: count ${seen.count}, ${seen.ids.size} distinct likers listed`);
    check(seen, {
      'like count equals likers': (s) => s.count === s.ids.size && s.count > 0,
      'likers are users of this run': (s) => [...s.ids].every((id) => ours.has(id)),
    }, { final: 'yes' });
  }
}
