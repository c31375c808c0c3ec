// Shared by the k6 scripts of load-tests/k6 (the k6 twin of ChirpLoad.java): parameters from
// __ENV, the seeded Reed98 graph, accounts logged in during setup(), requests and thresholds.
//
//   k6 run -e BASE_URL=http://localhost:8080 -e USERS=200 -e RATE=100 -e DURATION=60 \
//          load-tests/k6/social-network-mix.js
import http from 'k6/http';
import { check } from 'k6';

export const PASSWORD = 'chirp-seed-password';

const num = (name, fallback) => (__ENV[name] !== undefined && __ENV[name] !== '' ? Number(__ENV[name]) : fallback);

/** The run's parameters; a scenario passes its own defaults for USERS and RATE. */
export function config(defaultUsers, defaultRate) {
  return {
    baseUrl: (__ENV.BASE_URL || 'http://localhost:8080').replace(/\/+$/, ''),
    users: num('USERS', defaultUsers),
    rate: num('RATE', defaultRate),
    duration: num('DURATION', 60),
    p99Ms: num('P99_MS', 500),
    maxFailedPercent: num('MAX_FAILED_PERCENT', 0),
  };
}

/** An open workload at `rate` iterations/s for `duration` s, running the exported function `fn`. */
export function arrivals(fn, rate, duration, maxVUs) {
  const perSecond = Math.max(1, Math.round(rate));
  return {
    executor: 'constant-arrival-rate',
    exec: fn,
    rate: perSecond,
    timeUnit: '1s',
    duration: `${duration}s`,
    preAllocatedVUs: Math.min(maxVUs || 200, Math.max(2, perSecond)),
    maxVUs: maxVUs || 200,
  };
}

/** The gate of ChirpLoad.gate: failed requests and the global p99 (plus `more`). */
export function thresholds(cfg, more) {
  return Object.assign({
    http_req_failed: [`rate<=${cfg.maxFailedPercent / 100}`],
    http_req_duration: [`p(99)<${cfg.p99Ms}`],
  }, more || {});
}

export const summaryTrendStats = ['avg', 'min', 'med', 'p(95)', 'p(99)', 'max'];

/**
 * The seeded graph (undirected: each edge is a follow both ways) as node -> neighbours.
 * `text` is the edge list, read with open() in the init context of the script.
 */
export function parseGraph(text) {
  const neighbours = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('%') || line.startsWith('#')) {
      continue;
    }
    const parts = line.split(/[\s,]+/);
    if (parts.length < 2) {
      continue;
    }
    const a = Number(parts[0]);
    const b = Number(parts[1]);
    if (a === b) {
      continue;
    }
    (neighbours[a] = neighbours[a] || []).push(b);
    (neighbours[b] = neighbours[b] || []).push(a);
  }
  return neighbours;
}

/** `count` nodes drawn with a fixed seed (a small LCG), so runs are comparable. */
export function sample(neighbours, count) {
  const nodes = Object.keys(neighbours).map(Number).sort((x, y) => x - y);
  let seed = 42;
  for (let i = nodes.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [nodes[i], nodes[j]] = [nodes[j], nodes[i]];
  }
  return nodes.slice(0, Math.min(count, nodes.length));
}

/** Nodes by decreasing degree. */
export function byDegree(neighbours) {
  return Object.keys(neighbours).map(Number)
    .sort((x, y) => neighbours[y].length - neighbours[x].length || x - y);
}

const json = { headers: { 'Content-Type': 'application/json' } };

function auth(token) {
  return { headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` } };
}

/** Logs in one user and looks up their id (setup only). */
export function loginOne(cfg, username, password) {
  const token = http.post(`${cfg.baseUrl}/api/v1/auth/token`, JSON.stringify({ username, password }),
    Object.assign({ tags: { name: 'setup: token' } }, json));
  if (token.status !== 200) {
    throw new Error(`login ${username}: ${token.status} ${token.body}`);
  }
  const user = http.get(`${cfg.baseUrl}/api/v1/users/by-username/${username}`, { tags: { name: 'setup: user' } });
  if (user.status !== 200) {
    throw new Error(`user ${username}: ${user.status} ${user.body}`);
  }
  return { username, id: user.json('id'), token: token.json('accessToken') };
}

/** Logs in user_<n> for each node, ten at a time (http.batch), in setup(). */
export function login(cfg, nodes) {
  const accounts = {};
  for (let i = 0; i < nodes.length; i += 10) {
    const slice = nodes.slice(i, i + 10);
    const tokens = http.batch(slice.map((n) => ['POST', `${cfg.baseUrl}/api/v1/auth/token`,
      JSON.stringify({ username: `user_${n}`, password: PASSWORD }),
      Object.assign({ tags: { name: 'setup: token' } }, json)]));
    const users = http.batch(slice.map((n) => ['GET', `${cfg.baseUrl}/api/v1/users/by-username/user_${n}`, null,
      { tags: { name: 'setup: user' } }]));
    slice.forEach((n, k) => {
      if (tokens[k].status !== 200 || users[k].status !== 200) {
        throw new Error(`login user_${n}: ${tokens[k].status} / ${users[k].status} (is the cluster seeded?)`);
      }
      accounts[n] = { node: n, username: `user_${n}`, id: users[k].json('id'), token: tokens[k].json('accessToken') };
    });
  }
  return accounts;
}

export function pick(list) {
  return list[Math.floor(Math.random() * list.length)];
}

const WORDS = 'load test tweet about distributed systems caches queues shards timelines fan out followers coffee exams music'
  .split(' ');
const TAGS = ['reed', 'chirp', 'campus', 'music', 'exams', 'coffee', 'sharding', 'kafka'];

export function tweetText(extra) {
  const words = [`k6${Date.now() % 100000000}`];
  for (let i = 0; i < 6; i++) {
    words.push(pick(WORDS));
  }
  words.push(`#${pick(TAGS)}`);
  if (extra) {
    words.push(extra);
  }
  return words.join(' ');
}

export function homeTimeline(cfg, token, name, query) {
  const res = http.get(`${cfg.baseUrl}/api/v1/timelines/home${query || ''}`,
    Object.assign({ tags: { name: name || 'home timeline' } }, auth(token)));
  check(res, { 'home timeline 200': (r) => r.status === 200 });
  return res;
}

export function userTimeline(cfg, userId) {
  const res = http.get(`${cfg.baseUrl}/api/v1/users/${userId}/tweets`, { tags: { name: 'user timeline' } });
  check(res, { 'user timeline 200': (r) => r.status === 200 });
  return res;
}

/** POST /api/v1/tweets; returns the new tweet's id, or null. */
export function compose(cfg, token, text, name) {
  const res = http.post(`${cfg.baseUrl}/api/v1/tweets`, JSON.stringify({ text }),
    Object.assign({ tags: { name: name || 'compose' } }, auth(token)));
  const ok = check(res, { 'compose 201': (r) => r.status === 201 });
  return ok ? res.json('id') : null;
}

export function put(cfg, path, token, name) {
  return http.put(`${cfg.baseUrl}${path}`, null, Object.assign({ tags: { name } }, auth(token)));
}

export function post(cfg, path, body, token, name) {
  return http.post(`${cfg.baseUrl}${path}`, JSON.stringify(body),
    Object.assign({ tags: { name } }, token ? auth(token) : json));
}
