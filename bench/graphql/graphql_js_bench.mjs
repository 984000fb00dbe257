// graphql-js side of graphql_bench: times parse+validate+execute of the three requests
// (uncached), and execute of an already parsed and validated document (cached, as a server
// with a document cache would), then prints one JSON object for graphql_bench to show.
//   node graphql_js_bench.mjs <seed-schema.graphql> [repetitions]   (median of the repetitions)
import { readFileSync } from 'node:fs';

let graphql;
try {
  graphql = await import('graphql');
} catch {
  console.error('graphql-js is missing: run "npm ci --no-audit --no-fund" in bench/graphql');
  process.exit(2);
}
const { buildSchema, parse, validate, execute, getIntrospectionQuery } = graphql;

const schema = buildSchema(readFileSync(process.argv[2], 'utf8'));
const user = { email: 'alice@example.com', firstName: 'Alice', id: '1', lastName: 'Smith' };
const rootValue = {
  hello: 'world',
  login: () => ({ message: 'ok', token: 'token', ccUserId: 42, connectySession: 'session', user }),
};
export const requests = {
  introspection: { query: getIntrospectionQuery(), variables: {} },
  login: {
    query: 'mutation Login($body: LoginUserDto!) { login(body: $body) { message token ccUserId connectySession user { id email firstName lastName } } }',
    variables: { body: { email: 'alice@example.com', password: 'secret' } },
  },
  hello: { query: '{ hello }', variables: {} },
};

function run(document, request) {
  const result = execute({ schema, document, rootValue, variableValues: request.variables });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result;
}

// CPU nanoseconds per operation (as graphql_bench reports; wall time on a shared machine
// mostly measures the other processes): warm up, then run for about half a CPU second.
function cpuNanoseconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

function time(operation) {
  for (let i = 0; i < 200; ++i) operation();
  let iterations = 100;
  for (;;) {
    const start = cpuNanoseconds();
    for (let i = 0; i < iterations; ++i) operation();
    const elapsed = cpuNanoseconds() - start;
    if (elapsed > 5e8) return elapsed / iterations;
    iterations *= 4;
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const repetitions = Math.max(1, Number(process.argv[3] ?? 1) || 1);
const samples = {};
for (let repetition = 0; repetition < repetitions; ++repetition) {
  for (const [name, request] of Object.entries(requests)) {
    (samples[`${name}/uncached`] ??= []).push(time(() => {
      const document = parse(request.query);
      if (validate(schema, document).length) throw new Error('invalid');
      run(document, request);
    }));
    // Cached: the document was parsed and validated once; only execute() is timed (a server's
    // document cache hit; ours is timed through Service with its cache hot).
    const prepared = new Map([[request.query, parse(request.query)]]);
    if (validate(schema, prepared.get(request.query)).length) throw new Error('invalid');
    (samples[`${name}/cached`] ??= []).push(time(() => run(prepared.get(request.query), request)));
  }
}
const ns = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const texts = Object.fromEntries(Object.entries(requests).map(([k, v]) => [k, v.query]));
console.log(JSON.stringify({ version: graphql.version, queries: texts, ns }));
