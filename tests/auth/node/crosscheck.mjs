// Tokens and hashes made by Node's jsonwebtoken and bcrypt (what the old server used)
// must verify in cubeauth, and cubeauth's must verify there.
// Usage: node crosscheck.mjs <path to cubeauth_auth_crosscheck>
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
let jwt, bcrypt;
try {
  jwt = require('jsonwebtoken');
  bcrypt = require('bcrypt');
} catch (error) {
  console.error('node_modules missing in tests/auth/node: run `npm ci` there (scripts/test.sh does)');
  process.exit(1);
}

const tool = process.argv[2];
const cubeauth = (...args) => execFileSync(tool, args, { encoding: 'utf8' }).trim();
const secret = 'shared-secret-' + Math.random().toString(36).slice(2);
let passed = 0;
let failed = 0;
function check(name, body) {
  try {
    body();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`not ok - ${name}\n  ${error.message.replace(/\n/g, '\n  ')}`);
  }
}

check('a jsonwebtoken token verifies in cubeauth with the same claims', () => {
  const token = jwt.sign({ id: '65f1c0ffee0123456789abcd', email: 'nadia@example.org' }, secret, { expiresIn: '1h' });
  const claims = JSON.parse(cubeauth('verify', secret, token));
  const decoded = jwt.decode(token);
  assert.deepEqual(claims, { id: decoded.id, email: decoded.email, iat: decoded.iat, exp: decoded.exp });
});

check('a cubeauth token verifies in jsonwebtoken with the old payload shape', () => {
  const token = cubeauth('sign', secret, '65f1c0ffee0123456789abcd', 'nadia@example.org', '3600');
  const payload = jwt.verify(token, secret, { algorithms: ['HS256'] });
  assert.deepEqual(Object.keys(payload), ['id', 'email', 'iat', 'exp']);
  assert.equal(payload.id, '65f1c0ffee0123456789abcd');
  assert.equal(payload.email, 'nadia@example.org');
  assert.equal(payload.exp - payload.iat, 3600);
  const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
  assert.deepEqual(header, { alg: 'HS256', typ: 'JWT' });
});

check('cubeauth refuses jsonwebtoken tokens of other algorithms, other secrets and past expiry', () => {
  const claims = { id: 'a', email: 'b@c.de' };
  assert.match(cubeauth('verify', secret, jwt.sign(claims, secret, { algorithm: 'HS512' })), /^error: algorithm/);
  assert.match(cubeauth('verify', secret, jwt.sign(claims, null, { algorithm: 'none' })), /^error: algorithm/);
  assert.match(cubeauth('verify', secret, jwt.sign(claims, 'other-secret', { expiresIn: '1h' })), /^error: bad signature/);
  assert.match(cubeauth('verify', secret, jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, secret)), /^error: expired/);
  assert.match(cubeauth('verify', secret, jwt.sign(claims, secret, { expiresIn: '1h', notBefore: '1h' })), /^error: not yet valid/);
});

check('a $2b$10$ hash from Node bcrypt verifies in cubeauth, and a wrong password does not', () => {
  const hash = bcrypt.hashSync('Lantern-8812', 10);
  assert.match(hash, /^\$2b\$10\$/);
  assert.equal(cubeauth('check', 'Lantern-8812', hash), 'true');
  assert.equal(cubeauth('check', 'Lantern-8813', hash), 'false');
});

check('$2a$ and $2y$ spellings of a Node bcrypt hash verify too', () => {
  const hash = bcrypt.hashSync('Lantern-8812', 4);
  assert.equal(cubeauth('check', 'Lantern-8812', hash.replace('$2b$', '$2a$')), 'true');
  assert.equal(cubeauth('check', 'Lantern-8812', hash.replace('$2b$', '$2y$')), 'true');
});

check('a cubeauth hash verifies in Node bcrypt', () => {
  const hash = cubeauth('hash', 'Lantern-8812', '10');
  assert.match(hash, /^\$2b\$10\$/);
  assert.equal(bcrypt.compareSync('Lantern-8812', hash), true);
  assert.equal(bcrypt.compareSync('Lantern-8813', hash), false);
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
