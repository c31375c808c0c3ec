// A celebrity posts (POST_RATE/s, default 2) while USERS of their followers read their home
// timelines at RATE/s: the read-time merge under load (twin of CelebrityPost.java).
//
// A celebrity has at least timeline-service's chirp.timeline.celebrity-threshold followers
// (${CHIRP_CELEBRITY_THRESHOLD:10000}); pass the cluster's value as CELEBRITY_THRESHOLD. Reed98's
// best-connected user has 313 followers and the graph 962 users, so start the cluster with e.g.
// CHIRP_CELEBRITY_THRESHOLD=500 ./chirp up and run with -e CELEBRITY_THRESHOLD=500. setup() uses a
// seeded user at or above the threshold if there is one, else registers celeb_<threshold> and has
// the <threshold> best-connected seeded users follow it (idempotent). teardown() posts once more
// and checks that the post reaches a follower and that timeline-service's
// chirp_timeline_celebrity_merges_total (TIMELINE_URL, default the gateway's port + 3) grew.
//   k6 run -e BASE_URL=http://localhost:8080 -e CELEBRITY_THRESHOLD=500 load-tests/k6/celebrity-post.js
import http from 'k6/http';
import { check, sleep } from 'k6';
import * as chirp from './lib/chirp.js';

const cfg = chirp.config(100, 50);
const threshold = Number(__ENV.CELEBRITY_THRESHOLD || 10000);
const postRate = Number(__ENV.POST_RATE || 2);
const timelineUrl = __ENV.TIMELINE_URL
  || cfg.baseUrl.replace(/:(\d+)$/, (m, port) => `:${Number(port) + 3}`);
const graph = chirp.parseGraph(open(__ENV.GRAPH || '../../../shared/data/socfb-Reed98.edges'));
const MERGES = /^chirp_timeline_celebrity_merges_total(?:\{[^}]*\})? ([0-9.Ee+]+)/m;

export const options = {
  setupTimeout: '600s',
  summaryTrendStats: chirp.summaryTrendStats,
  scenarios: {
    reads: chirp.arrivals('reads', cfg.rate, cfg.duration),
    posts: chirp.arrivals('posts', postRate, cfg.duration, 10),
  },
  thresholds: chirp.thresholds(cfg, { 'checks{final:yes}': ['rate==1'] }),
};

function merges() {
  const m = MERGES.exec(http.get(`${timelineUrl}/prometheus`, { tags: { name: 'setup: prometheus' } }).body || '');
  return m ? Number(m[1]) : 0;
}

function followers(id) {
  return http.get(`${cfg.baseUrl}/api/v1/users/${id}`, { tags: { name: 'setup: user' } }).json('followersCount');
}

export function setup() {
  const ranked = chirp.byDegree(graph);
  let celebrity;
  let followerNodes;
  if (graph[ranked[0]].length >= threshold) {
    celebrity = chirp.login(cfg, [ranked[0]])[ranked[0]];
    followerNodes = graph[ranked[0]];
  } else {
    if (threshold > ranked.length) {
      throw new Error(`no seeded user has ${threshold} followers and the graph has only ${ranked.length} users: `
        + 'start the cluster with CHIRP_CELEBRITY_THRESHOLD=500 ./chirp up and pass -e CELEBRITY_THRESHOLD=500');
    }
    const username = `celeb_${threshold}`;
    const created = chirp.post(cfg, '/api/v1/users', {
      username, email: `${username}@load.chirp`, password: chirp.PASSWORD, displayName: 'Celebrity',
    }, null, 'setup: register');
    if (created.status !== 201 && created.status !== 409) {
      throw new Error(`registering ${username}: ${created.status} ${created.body}`);
    }
    celebrity = chirp.loginOne(cfg, username, chirp.PASSWORD);
    followerNodes = ranked.slice(0, threshold);
    if (followers(celebrity.id) < threshold) {
      const fans = Object.values(chirp.login(cfg, followerNodes));
      for (let i = 0; i < fans.length; i += 20) {
        http.batch(fans.slice(i, i + 20).map((fan) => ['PUT', `${cfg.baseUrl}/api/v1/users/me/following/${celebrity.id}`,
          null, { headers: { Authorization: `Bearer ${fan.token}` }, tags: { name: 'setup: follow' } }]));
      }
      const start = Date.now();
      while (followers(celebrity.id) < threshold) {
        if (Date.now() - start > 120000) {
          throw new Error(`${username} has ${followers(celebrity.id)} followers, not ${threshold}`);
        }
        sleep(0.5);
      }
    }
  }
  const readers = Object.values(chirp.login(cfg, followerNodes.slice(0, cfg.users)));
  return { celebrity, readers, mergesBefore: merges() };
}

export function reads(data) {
  chirp.homeTimeline(cfg, chirp.pick(data.readers).token, 'home timeline (follower of a celebrity)');
}

export function posts(data) {
  chirp.compose(cfg, data.celebrity.token, chirp.tweetText('from a celebrity'), 'celebrity compose');
}

export function teardown(data) {
  const id = chirp.compose(cfg, data.celebrity.token, chirp.tweetText('from a celebrity'), 'celebrity compose (final)');
  const start = Date.now();
  let seen = false;
  while (!seen && Date.now() - start < 5000) {
    const page = chirp.homeTimeline(cfg, data.readers[0].token, 'home timeline (poll)');
    seen = id !== null && page.body.includes(`"${id}"`);
    if (!seen) {
      sleep(0.1);
    }
  }
  check(seen, { 'celebrity post visible': (s) => s === true }, { final: 'yes' });
  const after = merges();
  check(after, { 'celebrity merges counted': (m) => m > data.mergesBefore }, { final: 'yes' });
}
