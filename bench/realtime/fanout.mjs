// Real-time figures (issue 10; a benchmark: it prints, it never fails a build on timing).
//   node fanout.mjs <cubeauth binary> [idle subscribers=10000] [fan-out subscribers=1000] [events=50]
// 1. Idle: connects N graphql-transport-ws subscribers of relationshipChanged and reports
//    cubeauth's resident memory before and after, and per subscriber.
// 2. Fan-out: M subscribers (half for each user of a pair); each mutation (a friend request,
//    then its cancellation) is delivered to all of them; reports the latency from sending
//    the mutation to each delivery, p50/p99/max.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

const [binary, idleArg = '10000', fanArg = '1000', eventsArg = '50'] = process.argv.slice(2);
const idleCount = Number(idleArg);
const fanCount = Number(fanArg);
const eventCount = Number(eventsArg);
const folder = mkdtempSync(path.join(tmpdir(), 'cubeauth-fanout-'));

function start() {
  const child = spawn(path.resolve(binary), [], {
    cwd: folder,
    env: {
      PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', JWT_SECRET: 'bench', BCRYPT_COST: '4',
      CUBEAUTH_RATE_PER_CLIENT_BURST: '0', CUBEAUTH_ACCESS_LOG: 'false',
      CUBEAUTH_MAX_CONNECTIONS: String(idleCount + fanCount + 100),
      DATABASE_URL: process.env.DATABASE_URL || `sqlite://${folder}/cubeauth.db`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const collect = (chunk) => {
      log += chunk;
      const found = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (found) resolve({ child, port: Number(found[1]) });
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    child.on('exit', (code) => reject(new Error(`cubeauth exited (${code}):\n${log}`)));
  });
}

function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]) / 1024;
}

async function graphql(port, query, variables = {}, token = '') {
  const response = await fetch(`http://127.0.0.1:${port}/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function member(port, name) {
  const email = `${name}-${Date.now()}@example.org`;
  const body = { email, password: 'Lantern-8812', firstName: name, lastName: 'B' };
  const reg = await graphql(port, 'mutation($body: UserRegisterInput!) { register(body: $body) { user { id } } }', { body });
  const login = await graphql(port, 'mutation($body: LoginUserDto!) { login(body: $body) { token } }',
    { body: { email, password: body.password } });
  return { id: reg.register.user.id, token: login.login.token };
}

/// One subscriber speaking graphql-transport-ws by hand (lighter than a graphql-ws client
/// per socket); resolves once subscribed. onEvent(receivedAt) for each event.
function subscribe(port, token, onEvent) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api`, 'graphql-transport-ws', { perMessageDeflate: false });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { token } })));
    socket.on('message', (data) => {
      const message = JSON.parse(data);
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { relationshipChanged { kind } }' } }));
        resolve(socket);
      } else if (message.type === 'next') {
        onEvent(performance.now());
      } else if (message.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      }
    });
    socket.on('error', reject);
    socket.on('close', (code) => reject(new Error(`closed ${code}`)));
  });
}

async function connectMany(port, count, token, onEvent) {
  const sockets = [];
  const batch = 200;
  for (let i = 0; i < count; i += batch) {
    const wave = [];
    for (let j = i; j < Math.min(count, i + batch); ++j) wave.push(subscribe(port, token, onEvent));
    sockets.push(...(await Promise.all(wave)));
  }
  return sockets;
}

function percentile(sorted, p) { return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]; }

const server = await start();
try {
  const ana = await member(server.port, 'ana');
  const ben = await member(server.port, 'ben');
  await new Promise((r) => setTimeout(r, 300));
  const before = rssMiB(server.child.pid);
  const t0 = performance.now();
  const idle = await connectMany(server.port, idleCount, ana.token, () => {});
  const connectSeconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 1000));
  const after = rssMiB(server.child.pid);
  console.log(`idle subscribers held: ${idle.length} (connected in ${connectSeconds.toFixed(1)} s)`);
  console.log(`cubeauth RSS: ${before.toFixed(1)} MiB before, ${after.toFixed(1)} MiB with them: ` +
              `${((after - before) * 1024 / Math.max(1, idle.length)).toFixed(1)} KiB per subscriber`);
  for (const socket of idle) socket.terminate();
  await new Promise((r) => setTimeout(r, 1000));

  // Fan-out: every mutation reaches all subscribers of both users.
  let sentAt = 0;
  const latencies = [];
  let expected = 0;
  let settle = null;
  const onEvent = (at) => {
    latencies.push(at - sentAt);
    if (--expected === 0 && settle) settle();
  };
  const half = Math.floor(fanCount / 2);
  const fan = [...await connectMany(server.port, half, ana.token, onEvent),
               ...await connectMany(server.port, fanCount - half, ben.token, onEvent)];
  await new Promise((r) => setTimeout(r, 500));
  for (let i = 0; i < eventCount; ++i) {
    const mutation = i % 2 === 0
      ? 'mutation($id: String!) { sendFriendRequest(userId: $id) { id } }'
      : 'mutation($id: String!) { cancelFriendRequest(userId: $id) { message } }';
    expected = fan.length;
    const done = new Promise((resolve) => { settle = resolve; });
    sentAt = performance.now();
    await graphql(server.port, mutation, { id: ben.id }, ana.token);
    await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
    if (expected > 0) console.log(`  event ${i}: ${expected} deliveries missing after 5 s`);
  }
  latencies.sort((a, b) => a - b);
  console.log(`fan-out to ${fan.length} subscribers, ${eventCount} events, ${latencies.length} deliveries: ` +
              `p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${percentile(latencies, 0.99).toFixed(2)} ms, ` +
              `max ${latencies[latencies.length - 1].toFixed(2)} ms (from sending the mutation; client and server share the cores)`);
  for (const socket of fan) socket.terminate();
} finally {
  server.child.kill('SIGTERM');
  rmSync(folder, { recursive: true, force: true });
}
