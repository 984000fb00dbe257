// cubeauth's graphql-transport-ws endpoint against the real graphql-ws client. Starts the test
// server program (tests/api/graphql_ws_test_server.cpp: a test schema with subscriptions fed
// by test event streams, an authentication hook) on a loopback port, then checks:
// subscriptions deliver in order and complete, queries and mutations over the socket, request
// and field errors, a client's complete stops the server's stream, ping/pong both ways, and
// the close codes (4403 refused init, 4408 init timeout, 4401, 4409, 4429, 4400, 4406) with
// the ws package's raw socket.
//
// usage: node graphql_ws.mjs <path to cubeauth_graphql_ws_test_server>
// needs: this folder's node_modules (npm ci).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';

const kInitTimeoutMs = 300;
const kStepTimeoutMs = 5_000;

let createClient;
let WebSocket;
try {
  ({ createClient } = await import('graphql-ws'));
  ({ default: WebSocket } = await import('ws'));
} catch (error) {
  console.error(`graphql_ws.mjs: run "npm ci" in ${new URL('.', import.meta.url).pathname} first (${error.message})`);
  process.exit(2);
}

const failures = [];
function check(condition, message) {
  if (!condition) {
    failures.push(message);
    console.log(`  FAIL ${message}`);
  }
  return Boolean(condition);
}
function equal(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  return check(a === e, `${message}: got ${a}, expected ${e}`);
}
function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), kStepTimeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function startServer(binary) {
  const child = spawn(binary, ['--init-timeout-ms', String(kInitTimeoutMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const port = await withTimeout(
    new Promise((resolve, reject) => {
      lines.on('line', (line) => {
        const match = /^listening on (\d+)$/.exec(line);
        if (match) resolve(Number(match[1]));
      });
      child.on('exit', (code) => reject(new Error(`test server exited with ${code}`)));
    }),
    'the test server to listen',
  );
  return { child, port };
}

function client(url, options = {}) {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { token: 'let-me-in', user: 'ann' },
    ...options,
  });
}

/// Every result of one operation, its error (a GraphQL error list or a close event) or completion.
function collect(wsClient, payload) {
  const results = [];
  let dispose;
  const done = new Promise((resolve) => {
    dispose = wsClient.subscribe(payload, {
      next: (result) => results.push(result),
      error: (error) => resolve({ results, error }),
      complete: () => resolve({ results, completed: true }),
    });
  });
  return { results, done: withTimeout(done, `operation ${payload.query}`), dispose: () => dispose() };
}

async function waitFor(predicate, what) {
  const deadline = Date.now() + kStepTimeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/// A raw socket: the frames the server sends and how it closes.
async function raw(url, protocol = 'graphql-transport-ws') {
  const socket = protocol === null ? new WebSocket(url) : new WebSocket(url, protocol);
  const received = [];
  socket.on('message', (data) => received.push(JSON.parse(data.toString())));
  const closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await withTimeout(once(socket, 'open'), 'raw socket open');
  return {
    socket,
    received,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    closed: withTimeout(closed, 'the server to close the raw socket'),
    next: async () => {
      await waitFor(() => received.length > 0, 'a message on the raw socket');
      return received.shift();
    },
  };
}

async function main() {
  const binary = process.argv[2];
  if (!binary) {
    console.error('usage: node graphql_ws.mjs <cubeauth_graphql_ws_test_server>');
    process.exit(2);
  }
  const { child, port } = await startServer(binary);
  const url = `ws://127.0.0.1:${port}/api`;
  try {
    console.log('- a subscription delivers its events in order, then completes');
    {
      const ws = client(url);
      const { done } = collect(ws, { query: 'subscription { count(to: 5) }' });
      const outcome = await done;
      equal(outcome.results.map((r) => r.data.count), [1, 2, 3, 4, 5], 'count(to: 5) events');
      check(outcome.completed, 'count(to: 5) completes');
      await ws.dispose();
    }

    console.log('- queries and mutations over the socket, with the context of connection_init');
    {
      let acked;
      const ws = client(url, { on: { connected: (_socket, payload) => (acked = payload) } });
      const hello = await collect(ws, { query: 'query Q($n: String) { hello(name: $n) }', variables: { n: 'ws' } }).done;
      equal(hello.results, [{ data: { hello: 'Hello, ws!' } }], 'hello over ws');
      check(hello.completed, 'a query completes after its one result');
      const who = await collect(ws, { query: '{ whoami }' }).done;
      equal(who.results, [{ data: { whoami: 'ann' } }], 'whoami sees the user of connection_init');
      equal(acked, { user: 'ann' }, 'connection_ack payload');
      const published = await collect(ws, { query: 'mutation { publish(topic: "nobody", text: "x") }' }).done;
      equal(published.results, [{ data: { publish: 0 } }], 'a mutation over ws');
      await ws.dispose();
    }

    console.log('- request errors come as an error message; field errors in next');
    {
      const ws = client(url);
      const syntax = await collect(ws, { query: '{ hello(' }).done;
      check(Array.isArray(syntax.error) && syntax.error.length === 1, 'a syntax error is an error message');
      check(syntax.error?.[0]?.message?.startsWith('Syntax Error'), `syntax error text: ${JSON.stringify(syntax.error)}`);
      equal(syntax.error?.[0]?.extensions?.code, 'GRAPHQL_PARSE_FAILED', 'syntax error code');
      const invalid = await collect(ws, { query: 'subscription { nope }' }).done;
      equal(invalid.error?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED', 'validation error code');
      const variables = await collect(ws, { query: 'subscription ($to: Int!) { count(to: $to) }', variables: {} }).done;
      equal(variables.error?.[0]?.extensions?.code, 'BAD_USER_INPUT', 'a missing variable');
      const field = await collect(ws, { query: '{ fail }' }).done;
      equal(field.results.length, 1, 'a field error still gives one result');
      equal(field.results[0]?.data, { fail: null }, 'the failed field is null');
      equal(field.results[0]?.errors?.[0]?.message, 'boom', 'the field error');
      check(field.completed, 'then complete');
      await ws.dispose();
    }

    console.log("- the client's complete ends the server's stream; events reach every subscriber");
    {
      const listener = client(url);
      const publisher = client(url);
      const first = collect(listener, { query: 'subscription { messages(topic: "t") { text } }' });
      const second = collect(listener, { query: 'subscription { messages(topic: "t") { text } }' });
      // The subscriptions are registered once a publish reaches both.
      let delivered = 0;
      for (let i = 0; i < 50 && delivered < 2; i++) {
        const outcome = await collect(publisher, { query: 'mutation { publish(topic: "t", text: "probe") }' }).done;
        delivered = outcome.results[0]?.data?.publish ?? 0;
        if (delivered < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      equal(delivered, 2, 'both subscribers registered');
      await collect(publisher, { query: 'mutation { publish(topic: "t", text: "one") }' }).done;
      await waitFor(() => first.results.some((r) => r.data.messages.text === 'one'), 'the event on the first subscription');
      await waitFor(() => second.results.some((r) => r.data.messages.text === 'one'), 'the event on the second subscription');
      first.dispose(); // graphql-ws sends complete
      let left = 2;
      for (let i = 0; i < 100 && left !== 1; i++) {
        const outcome = await collect(publisher, { query: 'mutation { publish(topic: "t", text: "after") }' }).done;
        left = outcome.results[0]?.data?.publish;
        if (left !== 1) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      equal(left, 1, 'after complete only the other subscription receives');
      second.dispose();
      await listener.dispose();
      await publisher.dispose();
    }

    console.log('- ping/pong: the client keeps the connection alive with pings, the server answers');
    {
      let pongs = 0;
      const ws = client(url, { keepAlive: 30, on: { pong: (received) => received && pongs++ } });
      const outcome = collect(ws, { query: 'subscription { messages(topic: "quiet") { text } }' });
      await waitFor(() => pongs >= 3, 'three pongs');
      check(pongs >= 3, 'pongs received');
      outcome.dispose();
      await ws.dispose();
      const socket = await raw(url);
      socket.send({ type: 'connection_init', payload: { token: 'let-me-in' } });
      equal((await socket.next()).type, 'connection_ack', 'raw ack');
      socket.send({ type: 'ping', payload: { n: 1 } });
      equal(await socket.next(), { type: 'pong', payload: { n: 1 } }, 'a ping payload is echoed in the pong');
      socket.send({ type: 'pong' }); // unsolicited pongs are allowed
      socket.send({ type: 'ping' });
      equal(await socket.next(), { type: 'pong' }, 'the pong after an unsolicited pong');
      socket.socket.close(1000);
      equal((await socket.closed).code, 1000, 'normal closure');
    }

    console.log('- 4403 when the authentication hook refuses connection_init');
    {
      let closeEvent;
      const ws = client(url, { connectionParams: { token: 'wrong' }, on: { closed: (event) => (closeEvent = event) } });
      const outcome = await collect(ws, { query: '{ hello }' }).done;
      equal(outcome.error?.code, 4403, 'the operation fails with the close event');
      equal(closeEvent?.code, 4403, 'closed with 4403');
      equal(closeEvent?.reason, 'Forbidden', 'reason Forbidden');
      await ws.dispose();
    }

    console.log('- the close codes of the protocol on a raw socket');
    {
      const silent = await raw(url);
      const started = Date.now();
      const timeout = await silent.closed;
      equal(timeout.code, 4408, 'no connection_init in time');
      equal(timeout.reason, 'Connection initialisation timeout', '4408 reason');
      check(Date.now() - started >= kInitTimeoutMs - 50, `4408 not before the timeout (${Date.now() - started} ms)`);

      const early = await raw(url);
      early.send({ id: '1', type: 'subscribe', payload: { query: '{ hello }' } });
      equal((await early.closed).code, 4401, 'subscribe before connection_ack');

      const twice = await raw(url);
      twice.send({ type: 'connection_init', payload: { token: 'let-me-in' } });
      twice.send({ type: 'connection_init', payload: { token: 'let-me-in' } });
      equal((await twice.closed).code, 4429, 'a second connection_init');

      const duplicate = await raw(url);
      duplicate.send({ type: 'connection_init', payload: { token: 'let-me-in' } });
      await duplicate.next();
      duplicate.send({ id: 'same', type: 'subscribe', payload: { query: 'subscription { messages(topic: "d") { text } }' } });
      duplicate.send({ id: 'same', type: 'subscribe', payload: { query: 'subscription { messages(topic: "d") { text } }' } });
      const duplicateClose = await duplicate.closed;
      equal(duplicateClose.code, 4409, 'a duplicate operation id');
      equal(duplicateClose.reason, 'Subscriber for same already exists', '4409 reason');

      const garbage = await raw(url);
      garbage.send('{"type":"connection_init","payload":{"token":"let-me-in"}}');
      await garbage.next();
      garbage.send('not json');
      equal((await garbage.closed).code, 4400, 'an invalid message');

      const unknown = await raw(url);
      unknown.send({ type: 'subscribe', id: '1' });
      const unknownClose = await unknown.closed;
      equal(unknownClose.code, 4400, 'a subscribe without payload');
      equal(unknownClose.reason, `"subscribe" message expects the 'payload' property to be an object, but got undefined`, '4400 reason');

      // A client offering only other subprotocols fails the handshake itself (the answer
      // names none, RFC 6455 4.1); one offering none gets the socket, then 4406.
      const noProtocol = await raw(url, null);
      equal(noProtocol.socket.protocol, '', 'no subprotocol agreed');
      const noProtocolClose = await noProtocol.closed;
      equal(noProtocolClose.code, 4406, 'no graphql-transport-ws subprotocol');
      equal(noProtocolClose.reason, 'Subprotocol not acceptable', '4406 reason');
      const legacy = new WebSocket(url, 'graphql-ws');
      const legacyError = await withTimeout(once(legacy, 'error'), 'the legacy subprotocol handshake to fail');
      equal(legacyError[0]?.message, 'Server sent no subprotocol', 'the legacy graphql-ws subprotocol is not agreed');
    }
  } catch (error) {
    failures.push(error.message);
    console.log(`  FAIL ${error.stack}`);
  } finally {
    child.kill('SIGTERM');
    const [code, signal] = await once(child, 'exit');
    // A drained, clean exit (under sanitizers, also: no error and no leak reported).
    check(code === 0, `the test server exits cleanly on SIGTERM (code ${code}, signal ${signal})`);
  }
  if (failures.length > 0) {
    console.log(`${failures.length} check(s) failed`);
    process.exit(1);
  }
  console.log('all graphql-ws checks passed');
}

await main();
