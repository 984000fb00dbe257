// Makes data exactly as the old NestJS server made it, for end-to-end tests that
// seed cubeauth's store with it: bcrypt.hash(password, 10) from the Node `bcrypt`
// package and jwt.sign({id, email}, secret) from `jsonwebtoken`.
// Usage: node old_server.mjs hash <password>
//        node old_server.mjs sign <secret> <id> <email>
//        node old_server.mjs verify <secret> <token>   (prints the payload as JSON)
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let jwt, bcrypt;
try {
  jwt = require('jsonwebtoken');
  bcrypt = require('bcrypt');
} catch (error) {
  console.error('node_modules missing in tests/auth/node: run `npm ci` there (scripts/test.sh does)');
  process.exit(1);
}

const [command, ...args] = process.argv.slice(2);
if (command === 'hash' && args.length === 1) {
  console.log(await bcrypt.hash(args[0], 10));
} else if (command === 'sign' && args.length === 3) {
  const [secret, id, email] = args;
  console.log(jwt.sign({ id, email }, secret, { expiresIn: '1d' }));
} else if (command === 'verify' && args.length === 2) {
  const [secret, token] = args;
  console.log(JSON.stringify(jwt.verify(token, secret, { algorithms: ['HS256'] })));
} else {
  console.error('usage: old_server.mjs hash <password> | sign <secret> <id> <email> | verify <secret> <token>');
  process.exit(2);
}
