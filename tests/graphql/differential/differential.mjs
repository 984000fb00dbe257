// Differential suite driver: runs every corpus case through graphql-js 16 (the
// reference) and, with --runner, through cubeauth's engine, then compares.
//
//   node differential.mjs --reference [out.json]   write graphql-js results
//   node differential.mjs --runner <program>       compare; exit 1 on mismatch
//
// Comparison (README.md): same stage (parse/validate/execute), data deep-equal
// (object keys in order, numbers by value), same error presence and the same
// multiset of error paths; syntax errors: same locations; validation errors:
// same messages and locations.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

let graphql;
try {
  graphql = await import('graphql');
} catch (e) {
  console.error(`graphql-js is missing: run "npm ci --no-audit --no-fund" in ${here}`);
  process.exit(2);
}
const { GraphQLSchema, buildSchema, parse, validate, execute, subscribe, getOperationAST } = graphql;

// Corpus format: "=== <name>" starts a case; its "--- variables <json>" and
// "--- operation <name>" lines (anywhere in the case) give the request, and
// "--- events <json array>" makes it a subscription run through `subscribe` with
// those source events; the other lines up to the next "===" are the document
// (trailing blank lines dropped).
export function loadCorpus() {
  const dir = join(here, 'corpus');
  const cases = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    let current = null;
    const finish = () => {
      if (current) {
        while (current.lines.length && current.lines.at(-1).trim() === '') current.lines.pop();
        current.document = current.lines.join('\n');
        delete current.lines;
        cases.push(current);
      }
    };
    for (const line of lines) {
      if (line.startsWith('=== ')) {
        finish();
        current = { id: `${file.replace(/\.txt$/, '')}/${line.slice(4).trim()}`, lines: [] };
      } else if (current && line.startsWith('--- variables ')) {
        current.variables = JSON.parse(line.slice('--- variables '.length));
      } else if (current && line.startsWith('--- events ')) {
        current.events = JSON.parse(line.slice('--- events '.length));
      } else if (current && line.startsWith('--- operation ')) {
        current.operationName = line.slice('--- operation '.length).trim();
      } else if (current) {
        current.lines.push(line);
      }
    }
    finish();
  }
  return cases;
}

const sdl = readFileSync(join(here, 'schema.graphql'), 'utf8');
const root = JSON.parse(readFileSync(join(here, 'root.json'), 'utf8'));
// graphql-js 16.9+ adds the draft @oneOf directive to every schema; October 2021 has none.
const built = buildSchema(sdl);
const schema = new GraphQLSchema({
  ...built.toConfig(),
  directives: built.getDirectives().filter((directive) => directive.name !== 'oneOf'),
});

function argumentAt(args, path) {
  let value = args;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = value[key];
  }
  return value;
}

// The resolver rules of README.md, applied to the parent's same-named property.
function applyRules(value, args) {
  if (value === '$args') return args;
  if (Array.isArray(value)) {
    return value.map((item) =>
      item !== null && typeof item === 'object' && '$error' in item ? new Error(item.$error) : item,
    );
  }
  if (value !== null && typeof value === 'object') {
    if ('$error' in value) throw new Error(value.$error);
    if ('$arg' in value) return args[value.$arg];
    if ('$lookup' in value) return value.table[String(argumentAt(args, value.$lookup))] ?? null;
  }
  return value;
}

function fieldResolver(source, args, _context, info) {
  if (source === null || typeof source !== 'object') return undefined;
  return applyRules(source[info.fieldName], args);
}

function plain(error) {
  const out = { message: error.message };
  if (error.locations) out.locations = error.locations;
  if (error.path) out.path = error.path;
  return out;
}

export function runReference(c) {
  let document;
  try {
    document = parse(c.document);
  } catch (e) {
    return { stage: 'parse', result: { errors: [plain(e)] } };
  }
  const errors = validate(schema, document);
  if (errors.length) return { stage: 'validate', result: { errors: errors.map(plain) } };
  const operation = getOperationAST(document, c.operationName);
  const rootValue = root[operation?.operation ?? 'query'];
  const result = execute({
    schema,
    document,
    rootValue,
    variableValues: c.variables,
    operationName: c.operationName,
    fieldResolver,
  });
  if (typeof result.then === 'function') throw new Error(`${c.id}: unexpected async result`);
  const out = {};
  if (result.errors) out.errors = result.errors.map(plain);
  if ('data' in result) out.data = result.data;
  return { stage: 'execute', result: JSON.parse(JSON.stringify(out)) };
}

// A subscription case: graphql-js `subscribe`, the root field's source stream an async
// generator of the case's events (or the resolver rules' $error on the root value), then
// every response. README.md: "Subscriptions".
async function subscribeField(source, args, context, info) {
  const rule = source !== null && typeof source === 'object' ? source[info.fieldName] : undefined;
  if (rule !== null && typeof rule === 'object' && '$error' in rule) throw new Error(rule.$error);
  return (async function* events() {
    yield* context.events;
  })();
}

export async function runReferenceSubscription(c) {
  let document;
  try {
    document = parse(c.document);
  } catch (e) {
    return { stage: 'parse', result: { errors: [plain(e)] } };
  }
  const errors = validate(schema, document);
  if (errors.length) return { stage: 'validate', result: { errors: errors.map(plain) } };
  const result = await subscribe({
    schema,
    document,
    rootValue: root.subscription,
    contextValue: { events: c.events },
    variableValues: c.variables,
    operationName: c.operationName,
    fieldResolver,
    subscribeFieldResolver: subscribeField,
  });
  const responses = [];
  const keep = (one) => {
    const out = {};
    if (one.errors) out.errors = one.errors.map(plain);
    if ('data' in one) out.data = one.data;
    responses.push(JSON.parse(JSON.stringify(out)));
  };
  if (Symbol.asyncIterator in result) {
    for await (const one of result) keep(one);
  } else {
    keep(result);
  }
  return { stage: 'execute', result: { responses } };
}

function deepEqual(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && deepEqual(a[k], b[k]));
}

// Built-in types and directives: their descriptions are prose each engine words itself
// (graphql-js's text is not copied), so introspection answers are compared without them.
const BUILTIN_NAMES = new Set(['Int', 'Float', 'String', 'Boolean', 'ID', 'include', 'skip', 'deprecated', 'specifiedBy']);

export function withoutBuiltinDescriptions(value, inBuiltin = false) {
  if (Array.isArray(value)) return value.map((item) => withoutBuiltinDescriptions(item, inBuiltin));
  if (value === null || typeof value !== 'object') return value;
  const builtin = inBuiltin || (typeof value.name === 'string' && (BUILTIN_NAMES.has(value.name) || value.name.startsWith('__')));
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = builtin && k === 'description' ? '(built-in)' : withoutBuiltinDescriptions(v, builtin);
  }
  // graphql-js 16.9+ answers the draft __Type.isOneOf field; October 2021 has no such field.
  if (value.name === '__Type' && Array.isArray(out.fields)) {
    out.fields = out.fields.filter((field) => field?.name !== 'isOneOf');
  }
  return out;
}

const key = (x) => JSON.stringify(x ?? null);
const sortedKeys = (list) => list.map(key).sort();

export function compare(expected, actual) {
  const problems = [];
  if (expected.stage !== actual.stage) {
    problems.push(`stage: expected ${expected.stage}, got ${actual.stage}`);
    return problems;
  }
  if (expected.result.responses) {
    return compareResponses(expected.result.responses, actual.result?.responses ?? []);
  }
  const e = expected.result;
  const a = actual.result ?? {};
  const eErrors = e.errors ?? [];
  const aErrors = a.errors ?? [];
  if ('data' in e !== 'data' in a) problems.push(`data presence: expected ${'data' in e}, got ${'data' in a}`);
  else if ('data' in e && !deepEqual(withoutBuiltinDescriptions(e.data), withoutBuiltinDescriptions(a.data))) {
    problems.push('data differs');
  }
  if ((eErrors.length > 0) !== (aErrors.length > 0)) {
    problems.push(`error presence: expected ${eErrors.length}, got ${aErrors.length}`);
  }
  if (expected.stage === 'parse') {
    if (key(sortedKeys(eErrors.map((x) => x.locations))) !== key(sortedKeys(aErrors.map((x) => x.locations)))) {
      problems.push('syntax error locations differ');
    }
  } else if (expected.stage === 'validate') {
    const shape = (x) => ({ message: x.message, locations: x.locations });
    if (key(sortedKeys(eErrors.map(shape))) !== key(sortedKeys(aErrors.map(shape)))) {
      problems.push('validation errors differ');
    }
  } else if (key(sortedKeys(eErrors.map((x) => x.path))) !== key(sortedKeys(aErrors.map((x) => x.path)))) {
    problems.push('error paths differ');
  }
  return problems;
}

// Subscriptions: the same number of responses, each compared like an execution result. One
// known difference (README.md): when the root field's source stream fails, graphql-js 16
// answers {errors} and cubeauth {errors, data: null}, as the spec's 7.1.2 and the API of
// issue 10 ask.
function compareResponses(expected, actual) {
  if (expected.length !== actual.length) {
    return [`responses: expected ${expected.length}, got ${actual.length}`];
  }
  const problems = [];
  expected.forEach((e, i) => {
    let a = actual[i];
    if (!('data' in e) && a.data === null && (e.errors ?? []).length === 1 && (a.errors ?? []).length === 1) {
      const { data: _ignored, ...rest } = a;
      a = rest;
    }
    for (const problem of compare({ stage: 'execute', result: e }, { stage: 'execute', result: a })) {
      problems.push(`response ${i}: ${problem}`);
    }
  });
  return problems;
}

async function main(argv) {
  const cases = loadCorpus();
  const reference = [];
  for (const c of cases) {
    const answer = c.events ? await runReferenceSubscription(c) : runReference(c);
    reference.push({ id: c.id, ...answer });
  }
  if (argv[0] === '--reference') {
    const text = JSON.stringify(reference, null, 1);
    if (argv[1]) writeFileSync(argv[1], text);
    else console.log(text);
    return 0;
  }
  if (argv[0] !== '--runner' || !argv[1]) {
    console.error('usage: node differential.mjs --reference [out.json] | --runner <program>');
    return 2;
  }
  // The runner reads one JSON case per line and writes one JSON result per line.
  const input = cases.map((c) => JSON.stringify(c)).join('\n') + '\n';
  const run = spawnSync(argv[1], [join(here, 'schema.graphql'), join(here, 'root.json')], {
    input,
    maxBuffer: 1 << 28,
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    console.error(`runner failed (status ${run.status}, signal ${run.signal}):\n${run.stderr}`);
    return 1;
  }
  const outputs = run.stdout.split('\n').filter((l) => l.length);
  if (outputs.length !== cases.length) {
    console.error(`runner answered ${outputs.length} of ${cases.length} cases\n${run.stderr}`);
    return 1;
  }
  let failed = 0;
  cases.forEach((c, i) => {
    const actual = JSON.parse(outputs[i]);
    const problems = compare(reference[i], actual);
    if (problems.length) {
      failed += 1;
      console.log(`FAIL ${c.id}: ${problems.join('; ')}`);
      console.log(`  document: ${JSON.stringify(c.document)}`);
      console.log(`  graphql-js: ${JSON.stringify(reference[i])}`);
      console.log(`  cubeauth:   ${JSON.stringify(actual)}`);
    }
  });
  const stages = {};
  for (const r of reference) stages[r.stage] = (stages[r.stage] ?? 0) + 1;
  console.log(`${cases.length - failed}/${cases.length} cases agree (graphql-js stages: ${JSON.stringify(stages)})`);
  return failed ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
