// Introspection round trip (issue 3): for each schema, graphql-js rebuilds a schema from
// cubeauth's answer to its full introspection query (buildClientSchema) and prints it; that
// must equal graphql-js's own print of the SDL cubeauth loaded (printSchema(buildSchema(sdl))).
//
//   node round_trip.mjs --introspect <graphql_introspect> <schema.graphql>...
// Exit 0 when every schema round-trips, 1 with a line diff otherwise.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let graphql;
try {
  graphql = await import('graphql');
} catch {
  console.error(`graphql-js is missing: run "npm ci --no-audit --no-fund" in ${here}`);
  process.exit(2);
}
const { buildClientSchema, buildSchema, getIntrospectionQuery, printSchema } = graphql;

const args = process.argv.slice(2);
if (args[0] !== '--introspect' || args.length < 3) {
  console.error('usage: node round_trip.mjs --introspect <graphql_introspect> <schema.graphql>...');
  process.exit(2);
}
const [, program, ...schemas] = args;
const query = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
});

function firstDifference(expected, actual) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); ++i) {
    if (a[i] !== b[i]) {
      return `line ${i + 1}:\n  graphql-js: ${JSON.stringify(a[i])}\n  round trip: ${JSON.stringify(b[i])}`;
    }
  }
  return 'no line differs';
}

let failures = 0;
for (const path of schemas) {
  const sdl = readFileSync(path, 'utf8');
  const expected = printSchema(buildSchema(sdl));
  const run = spawnSync(program, [path], { input: query, encoding: 'utf8' });
  if (run.status !== 0) {
    console.error(`FAIL ${path}: graphql_introspect exited ${run.status}\n${run.stderr}`);
    ++failures;
    continue;
  }
  const answer = JSON.parse(run.stdout);
  if (answer.errors) {
    console.error(`FAIL ${path}: ${JSON.stringify(answer.errors)}`);
    ++failures;
    continue;
  }
  let actual;
  try {
    actual = printSchema(buildClientSchema(answer.data));
  } catch (error) {
    console.error(`FAIL ${path}: buildClientSchema rejected the answer: ${error.message}`);
    ++failures;
    continue;
  }
  if (actual !== expected) {
    console.error(`FAIL ${path}: ${firstDifference(expected, actual)}`);
    ++failures;
  } else {
    console.log(`ok   ${path} (${expected.split('\n').length} lines)`);
  }
}
process.exit(failures === 0 ? 0 : 1);
