// relationshipChanged over WebSocket with the real graphql-ws client (issue 10).
//   node realtime.mjs <cubeauth binary>
// With TEST_POSTGRES_URL set, two cubeauth processes share that database: every event
// caused through one must reach a subscriber connected to the other (LISTEN/NOTIFY).
// Without it, one process on SQLite plays both parts. A live subscription ends at once
// when its user's access is withdrawn (changePassword, setUserDisabled, logoutAll).
// Exits non-zero on any failure.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const kStartTimeoutMs = 15000;
const kEventTimeoutMs = 5000;
const binary = process.argv[2];
const postgres = process.env.TEST_POSTGRES_URL || '';
const children = [];
const folders = [];

const kAdminEmail = `admin-${process.pid}-${Date.now()}@example.org`;

function startCubeauth(extraEnv) {
  const folder = mkdtempSync(path.join(tmpdir(), 'cubeauth-realtime-'));
  folders.push(folder);
  const databaseUrl = postgres || `sqlite://${folder}/cubeauth.db`;
  const child = spawn(path.resolve(binary), [], {
    cwd: folder,
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      JWT_SECRET: 'realtime-test-secret',
      BCRYPT_COST: '4',
      CUBEAUTH_RATE_PER_CLIENT_BURST: '0',
      DATABASE_URL: databaseUrl,
      ADMIN_EMAILS: kAdminEmail,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cubeauth did not start:\n${log}`)), kStartTimeoutMs);
    const collect = (chunk) => {
      log += chunk;
      const found = /cubeauth listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (found) {
        clearTimeout(timer);
        resolve({ port: Number(found[1]), log: () => log, child, databaseUrl });
      }
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    child.on('exit', (code) => reject(new Error(`cubeauth exited (${code}) before listening:\n${log}`)));
  });
}

async function graphql(server, query, variables = {}, token = '') {
  const response = await fetch(`http://127.0.0.1:${server.port}/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) {
    throw new Error(`${query} failed: ${JSON.stringify(body.errors)}`);
  }
  return body.data;
}

let unique = 0;
async function member(server, name, email = `${name.toLowerCase()}-${process.pid}-${Date.now()}-${unique++}@example.org`) {
  const password = 'Lantern-8812';
  const registered = await graphql(server,
    'mutation($body: UserRegisterInput!) { register(body: $body) { user { id } } }',
    { body: { email, password, firstName: name, lastName: 'T' } });
  const login = await graphql(server, 'mutation($body: LoginUserDto!) { login(body: $body) { token } }',
    { body: { email, password } });
  return { id: registered.register.user.id, email, token: login.login.token };
}

/// A graphql-ws client of `server` signed in as `who`; events land in `events`.
function subscriber(server, who, connectionParams = { authorization: `Bearer ${who.token}` }) {
  const events = [];
  const waiting = [];
  const ignored = new Set();
  let closed = null;
  const client = createClient({
    url: `ws://127.0.0.1:${server.port}/api`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},  // the close is checked below, not printed
    on: { closed: (event) => { closed = event; } },
  });
  let ended = false;
  let failure = null;
  const dispose = client.subscribe(
    { query: 'subscription { relationshipChanged { kind user { id firstName } relationship { id status connectyDialogId } at } }' },
    {
      next: (result) => {
        // The probes of whenListening (about the helper user) may arrive late: not events under test.
        if (ignored.has(result.data?.relationshipChanged?.user?.id)) return;
        events.push({ result, receivedAt: performance.now() });
        while (waiting.length) waiting.shift()();
      },
      error: (error) => { failure = error; while (waiting.length) waiting.shift()(); },
      complete: () => { ended = true; while (waiting.length) waiting.shift()(); },
    });
  return {
    client, events, dispose, ignored,
    get closed() { return closed; },
    get failure() { return failure; },
    get ended() { return ended; },
    /// The next event (or throws after the timeout).
    async next(what) {
      const deadline = Date.now() + kEventTimeoutMs;
      while (events.length === 0) {
        if (failure || ended) throw new Error(`${what}: the subscription ended: ${JSON.stringify(failure ?? 'complete')}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${what}: no event within ${kEventTimeoutMs} ms`);
        await new Promise((resolve) => { waiting.push(resolve); setTimeout(resolve, left); });
      }
      return events.shift();
    },
  };
}

/// Waits until the subscription is live on the server: graphql-ws gives no signal, so
/// subscribe, then make an event nobody else would, and wait for it.
async function whenListening(server, sub, who, helper) {
  for (let attempt = 0; attempt < 50; ++attempt) {
    await graphql(server, 'mutation($id: String!) { blockUser(userId: $id) { status } }', { id: helper.id }, who.token);
    await graphql(server, 'mutation($id: String!) { unblockUser(userId: $id) { message } }', { id: helper.id }, who.token);
    const deadline = Date.now() + 100;
    while (sub.events.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    if (sub.events.length >= 2) {
      sub.ignored.add(helper.id);
      sub.events.length = 0;
      return;
    }
  }
  throw new Error('the subscription never became live');
}

async function waitFor(condition, what) {
  const deadline = Date.now() + kEventTimeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${kEventTimeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const checks = [];
function check(name, fn) { checks.push({ name, fn }); }

let one, two, admin;

/// Subscribes `who` on `subscribeTo`, withdraws their access with `withdraw`, and
/// checks the subscription ends with UNAUTHENTICATED at once (not at token expiry).
async function endsOnRevocation(subscribeTo, who, withdraw, what) {
  const helper = await member(one, 'Helper');
  const sub = subscriber(subscribeTo, who);
  try {
    await whenListening(subscribeTo, sub, who, helper);
    const withdrawnAt = performance.now();
    await withdraw();
    const last = await sub.next(`the end after ${what}`);
    assert.equal(last.result.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(last.result));
    await waitFor(() => sub.ended || sub.failure, `end of the subscription after ${what}`);
    console.log(`  ${what} -> subscription ended: ${(last.receivedAt - withdrawnAt).toFixed(1)} ms (incl. the mutation)`);
  } finally {
    sub.dispose();
    await sub.client.dispose();
  }
}

check('an event caused through one process reaches a subscriber of the other', async () => {
  const ana = await member(one, 'Ana');
  const ben = await member(one, 'Ben');
  const helper = await member(one, 'Helper');
  const bens = subscriber(two, ben);
  const anas = subscriber(one, ana);
  try {
    await whenListening(two, bens, ben, helper);
    await whenListening(one, anas, ana, helper);
    const sentAt = performance.now();
    await graphql(one, 'mutation($id: String!) { sendFriendRequest(userId: $id) { status } }', { id: ben.id }, ana.token);
    const received = await bens.next('REQUEST_RECEIVED on the other process');
    const event = received.result.data.relationshipChanged;
    assert.equal(event.kind, 'REQUEST_RECEIVED');
    assert.equal(event.user.id, ana.id);
    assert.equal(event.user.firstName, 'Ana');
    assert.equal(event.relationship.status, 'REQUEST_RECEIVED');
    console.log(`  request -> other process's subscriber: ${(received.receivedAt - sentAt).toFixed(1)} ms (incl. the mutation)`);
    assert.equal((await anas.next('REQUEST_SENT to the sender')).result.data.relationshipChanged.kind, 'REQUEST_SENT');

    await graphql(two, 'mutation($id: String!) { acceptFriendRequest(userId: $id) { status } }', { id: ana.id }, ben.token);
    const accepted = (await anas.next('ACCEPTED back on the first process')).result.data.relationshipChanged;
    assert.equal(accepted.kind, 'ACCEPTED');
    assert.equal(accepted.relationship.status, 'FRIENDS');
    assert.equal((await bens.next('ACCEPTED to the accepter')).result.data.relationshipChanged.kind, 'ACCEPTED');

    await graphql(one, 'mutation($id: String!) { blockUser(userId: $id) { status } }', { id: ben.id }, ana.token);
    const removed = (await bens.next('the blocked side sees REMOVED')).result.data.relationshipChanged;
    assert.equal(removed.kind, 'REMOVED');
    assert.equal(removed.relationship, null);
    assert.equal((await anas.next('BLOCKED to the blocker')).result.data.relationshipChanged.kind, 'BLOCKED');
    // Each subscriber heard only its own user's events.
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(bens.events.length, 0, JSON.stringify(bens.events));
    assert.equal(anas.events.length, 0, JSON.stringify(anas.events));
  } finally {
    bens.dispose(); anas.dispose();
    await bens.client.dispose(); await anas.client.dispose();
  }
});

check('changePassword through one process ends the live subscription on the other', async () => {
  const eve = await member(one, 'Eve');
  await endsOnRevocation(two, eve, () => graphql(one,
    'mutation($old: String!, $new: String!) { changePassword(oldPassword: $old, newPassword: $new) { token } }',
    { old: 'Lantern-8812', new: 'Harbour-5531' }, eve.token), 'changePassword');
});

check('setUserDisabled by an admin ends the live subscription of the disabled user', async () => {
  const dee = await member(one, 'Dee');
  await endsOnRevocation(two, dee, () => graphql(one,
    'mutation($id: String!) { setUserDisabled(id: $id, disabled: true) { id } }', { id: dee.id }, admin.token),
    'setUserDisabled');
  // Disabled, Dee cannot subscribe again.
  const again = subscriber(two, dee);
  try {
    const refused = await again.next('an answer to a disabled user');
    assert.ok(refused.result.errors?.length, JSON.stringify(refused.result));
  } catch (error) {
    assert.ok(again.closed?.code === 4403 || again.failure, String(error));
  } finally {
    again.dispose();
    await again.client.dispose();
  }
});

check('logoutAll ends the live subscription', async () => {
  const fay = await member(one, 'Fay');
  await endsOnRevocation(one, fay, () => graphql(one, 'mutation { logoutAll { message } }', {}, fay.token),
    'logoutAll');
});

check('a bad access token in connection_init closes the socket with 4403', async () => {
  const sub = subscriber(one, null, { authorization: 'Bearer not.a.token' });
  const deadline = Date.now() + kEventTimeoutMs;
  while (!sub.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(sub.closed, 'the socket was not closed');
  assert.equal(sub.closed.code, 4403);
  await sub.client.dispose();
});

check('without a token the subscription gets UNAUTHENTICATED', async () => {
  const sub = subscriber(one, null, {});
  try {
    const first = await sub.next('an answer');
    assert.equal(first.result.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(first.result));
  } catch (error) {
    // Refusing at connection_init is as good.
    assert.ok(sub.closed?.code === 4403 || sub.failure, String(error));
  } finally {
    sub.dispose();
    await sub.client.dispose();
  }
});

check('queries and mutations work over the same socket', async () => {
  const cy = await member(one, 'Cy');
  const client = createClient({
    url: `ws://127.0.0.1:${two.port}/api`, webSocketImpl: WebSocket, retryAttempts: 0,
    connectionParams: { token: cy.token },
  });
  try {
    const result = await new Promise((resolve, reject) => {
      let value;
      client.subscribe({ query: '{ me { id } friends { items { id } } }' },
        { next: (v) => { value = v; }, error: reject, complete: () => resolve(value) });
    });
    assert.deepEqual(result, { data: { me: { id: cy.id }, friends: { items: [] } } });
  } finally {
    await client.dispose();
  }
});

let failed = 0;
try {
  one = await startCubeauth({});
  // The admin: ADMIN_EMAILS grants the role to accounts that exist when a process
  // starts, so the account is made first, then a process starts on the same database.
  await member(one, 'Admin', kAdminEmail);
  if (postgres) {
    two = await startCubeauth({});
  } else {
    const granter = await startCubeauth({ DATABASE_URL: one.databaseUrl });
    granter.child.kill('SIGTERM');
    two = one;
  }
  const login = await graphql(one, 'mutation($body: LoginUserDto!) { login(body: $body) { token } }',
    { body: { email: kAdminEmail, password: 'Lantern-8812' } });
  admin = { token: login.login.token };
  console.log(postgres ? 'two cubeauth processes sharing PostgreSQL' : 'one cubeauth process on SQLite (TEST_POSTGRES_URL unset)');
  for (const { name, fn } of checks) {
    try {
      await fn();
      console.log(`ok - ${name}`);
    } catch (error) {
      failed += 1;
      console.log(`not ok - ${name}\n  ${error.stack}`);
    }
  }
  if (failed) {
    console.log(`--- log of the first process ---\n${one.log().slice(-4000)}`);
  }
} catch (error) {
  failed += 1;
  console.log(`not ok - setup\n  ${error.stack}`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
}
console.log(`${checks.length - failed}/${checks.length} checks passed`);
process.exit(failed ? 1 : 0);
