// The reference peer of bench/http: cubeauth's job done the way most Node.js teams do it
// today. graphql-js behind node:http, jsonwebtoken (HS256), the bcrypt package (cost 10,
// on libuv's thread pool), users in memory, ConnectyCube over fetch (keep-alive).
// Same paths, schema and answers as cubeauth, so wrk drives both with the same scripts.
//
//   PORT=0 JWT_SECRET=... [APP_ID=.. AUTH_KEY=.. CONNECTYCUBE_API_URL=..] node server.mjs
//   stdout: "listening on http://127.0.0.1:<port>"
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { graphql, buildSchema } from 'graphql';
import jwt from 'jsonwebtoken';
import bcrypt from 'bcrypt';

const secret = process.env.JWT_SECRET || randomBytes(32).toString('hex');
const cost = Number(process.env.BCRYPT_COST || 10);
const ccUrl = process.env.CONNECTYCUBE_API_URL || 'https://api.connectycube.com';
const ccEnabled = Boolean(process.env.APP_ID && process.env.AUTH_KEY);
const ccSignup = (process.env.CONNECTYCUBE_SIGNUP || 'true') === 'true';

const schema = buildSchema(
  readFileSync(new URL('../../src/api/schema.graphql', import.meta.url), 'utf8'));

/** email -> {id, firstName, lastName, email, password, connectyCubeId} */
const users = new Map();
let nextId = 1;
const objectId = () =>
  (Math.floor(Date.now() / 1000).toString(16) + randomBytes(5).toString('hex') +
   (nextId++).toString(16).padStart(6, '0')).slice(0, 24);

class CodedError extends Error {
  constructor(message, code) {
    super(message);
    this.extensions = { code };
  }
}

async function connectycube(path, body, headers = {}) {
  const response = await fetch(`${ccUrl}/${path}.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) {
    throw new CodedError(`ConnectyCube: ${JSON.stringify(json.errors)}`, 'CONNECTYCUBE_REFUSED');
  }
  return json;
}

const root = {
  hello: () => 'Hello from API!',
  async register({ body }) {
    const email = body.email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      throw new CodedError('email must be an email', 'BAD_USER_INPUT');
    }
    if (body.password.length < 8) {
      throw new CodedError('password is too short', 'BAD_USER_INPUT');
    }
    if (users.has(email)) {
      throw new CodedError('Email already exists', 'EMAIL_ALREADY_EXISTS');
    }
    const user = {
      id: objectId(), firstName: body.firstName, lastName: body.lastName, email,
      password: await bcrypt.hash(body.password, cost),
    };
    users.set(email, user);
    if (ccEnabled && ccSignup) {
      try {
        const answer = await connectycube('users', {
          user: { email, password: body.password, full_name: `${body.firstName} ${body.lastName}` },
        }, { 'CB-AuthKey': process.env.AUTH_KEY });
        user.connectyCubeId = answer.user.id;
      } catch (error) {
        users.delete(email);
        throw error;
      }
    }
    return { message: 'user register successfully', user };
  },
  async login({ body }) {
    const user = users.get(body.email.trim().toLowerCase());
    const ok = await bcrypt.compare(body.password, user ? user.password : '$2b$10$' + 'x'.repeat(53));
    if (!user || !ok) {
      throw new CodedError('Invalid email or password', 'UNAUTHENTICATED');
    }
    const token = jwt.sign({ id: user.id, email: user.email }, secret, { expiresIn: '1h' });
    let connectySession = null;
    if (ccEnabled) {
      const answer = await connectycube('session', {
        application_id: Number(process.env.APP_ID), auth_key: process.env.AUTH_KEY,
        user: { email: user.email, password: body.password },
      });
      connectySession = answer.session.token;
    }
    return { message: 'Login successful', user, token, connectySession, ccUserId: user.connectyCubeId ?? null };
  },
};

function send(res, status, body, type = 'application/json; charset=utf-8') {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function verify(res, token) {
  try {
    const claims = jwt.verify(token || '', secret, { algorithms: ['HS256'] });
    send(res, 200, JSON.stringify({ user: { id: claims.id, email: claims.email }, uid: claims.id }));
  } catch {
    send(res, 401, JSON.stringify({ error: 'Unauthorized', message: 'The token is invalid or expired.' }));
  }
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/auth/verify-connectycube' && req.method === 'GET') {
    verify(res, url.searchParams.get('token'));
  } else if (url.pathname === '/api' && req.method === 'POST') {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { raw += chunk; });
    req.on('end', async () => {
      let request;
      try {
        request = JSON.parse(raw);
      } catch {
        send(res, 400, JSON.stringify({ errors: [{ message: 'The request body is not valid JSON.' }] }));
        return;
      }
      const result = await graphql({
        schema, source: request.query, rootValue: root,
        variableValues: request.variables, operationName: request.operationName,
      });
      send(res, 200, JSON.stringify(result));
    });
  } else if (url.pathname === '/' && req.method === 'GET') {
    send(res, 200, 'Hello World!', 'text/plain; charset=utf-8');
  } else {
    send(res, 404, JSON.stringify({ error: 'Not Found' }));
  }
});
server.keepAliveTimeout = 5000;
server.listen(Number(process.env.PORT || 3000), process.env.HOST || '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(0));
}
