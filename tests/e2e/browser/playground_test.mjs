// Browser test of the GraphQL playground that cubeauth serves at GET /api: starts the real
// binary on a loopback port, opens the page in Debian's headless Chromium (driven by
// playwright-core), checks that every request stays on cubeauth and succeeds, that GraphiQL
// fetches the schema by introspection, and that running `{ hello }` shows "Hello from API!".
//
// usage: node playground_test.mjs <path to the cubeauth binary>
// env:   CUBEAUTH_CHROMIUM       the browser (default /usr/bin/chromium)
//        CUBEAUTH_SCREENSHOT     where to save a screenshot (default: the temp folder, removed)
//        CUBEAUTH_PLAYGROUND_URL test a server that is already running instead (e.g.
//                                http://127.0.0.1:3000/api); the binary argument is then unused
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const kChromium = process.env.CUBEAUTH_CHROMIUM || '/usr/bin/chromium';
const kChromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const kStartTimeoutMs = 20_000;
const kStepTimeoutMs = 20_000;

class TestFailure extends Error {}

function check(condition, message) {
  if (!condition) {
    throw new TestFailure(message);
  }
}

function step(text) {
  console.log(`- ${text}`);
}

async function loadPlaywright() {
  try {
    return await import('playwright-core');
  } catch (error) {
    throw new TestFailure(
      'playwright-core is not installed: run `(cd tests/e2e/browser && npm ci --no-audit --no-fund)` ' +
        `(scripts/test.sh does it) (${error.code || error.message})`,
    );
  }
}

/// Starts cubeauth on a free loopback port; resolves { process, url } once it listens.
function startCubeauth(binary, workDir) {
  check(binary && existsSync(binary), `no cubeauth binary at "${binary}" (pass its path)`);
  const child = spawn(binary, [], {
    cwd: workDir, // no stray .env from the source tree
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      JWT_SECRET: 'x',
      DATABASE_URL: `sqlite://${path.join(workDir, 'db.sqlite')}`,
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
      const found = /cubeauth listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (found) {
        clearTimeout(timer);
        resolve({ child, base: found[1], log: () => log });
      }
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new TestFailure(`cubeauth exited (${code ?? signal}) before listening:\n${log}`));
    });
  });
}

function stopCubeauth(server) {
  if (!server || server.child.exitCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
    server.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    server.child.kill('SIGTERM');
  });
}

function isGraphQLPost(request, endpoint) {
  return request.method() === 'POST' && request.url() === endpoint;
}

async function runPlayground(chromium, pageUrl, workDir) {
  const origin = new URL(pageUrl).origin;
  const context = await chromium.launchPersistentContext(path.join(workDir, 'profile'), {
    executablePath: kChromium,
    headless: true,
    args: kChromiumFlags,
    viewport: { width: 1280, height: 800 },
  });
  const problems = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(kStepTimeoutMs);
    const requests = [];
    page.on('request', (request) => requests.push(request));
    page.on('requestfailed', (request) =>
      problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
    );
    page.on('response', (response) => {
      if (response.status() >= 400) {
        problems.push(`HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push(`console error: ${message.text()}`);
      }
    });

    const endpoint = new URL(new URL(pageUrl).pathname, origin).href;
    const introspection = page.waitForResponse(
      (response) =>
        isGraphQLPost(response.request(), endpoint) &&
        (response.request().postData() ?? '').includes('__schema'),
    );

    step(`open ${pageUrl}`);
    const navigation = await page.goto(pageUrl, { waitUntil: 'load' });
    check(navigation, 'no response to the navigation');
    check(navigation.status() === 200, `GET ${pageUrl} answered ${navigation.status()}`);
    const headers = navigation.headers();
    check((headers['content-type'] ?? '').startsWith('text/html'), `the page is ${headers['content-type']}`);
    const policy = headers['content-security-policy'] ?? '';
    check(policy.includes("script-src 'self'"), `no self-only Content-Security-Policy: "${policy}"`);
    const notInstalled = await page.getByText('GraphQL playground not installed').count();
    check(
      notInstalled === 0,
      'this cubeauth was built without the playground assets: run ' +
        '`(cd web/playground && npm ci --no-audit --no-fund)` and build again',
    );

    step('GraphiQL fetches the schema by introspection');
    const schemaResponse = await introspection;
    check(schemaResponse.status() === 200, `introspection answered ${schemaResponse.status()}`);
    const schema = await schemaResponse.json();
    check(!schema.errors, `introspection errors: ${JSON.stringify(schema.errors)}`);
    const queryType = schema.data?.__schema?.queryType?.name;
    check(queryType, `no query type in the introspection result: ${JSON.stringify(schema).slice(0, 300)}`);
    // The IDE has taken the schema in: its documentation explorer lists the query type's fields.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer').getByText(queryType, { exact: true }).first().click();
    await page.locator('.graphiql-doc-explorer').getByText('hello', { exact: true }).first().waitFor();

    step('type and run { hello }');
    const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('{ hello }');
    const answer = page.waitForResponse(
      (response) =>
        isGraphQLPost(response.request(), endpoint) &&
        (response.request().postData() ?? '').includes('hello') &&
        !(response.request().postData() ?? '').includes('__schema'),
    );
    await page.locator('.graphiql-execute-button').click();
    const hello = await answer;
    check(hello.status() === 200, `{ hello } answered ${hello.status()}`);
    const result = page.locator('.graphiql-response .result-window');
    await result.getByText('Hello from API!').waitFor();
    const shown = await result.innerText();
    check(shown.includes('"hello": "Hello from API!"'), `the result pane shows: ${shown}`);

    const screenshot = process.env.CUBEAUTH_SCREENSHOT || path.join(workDir, 'playground.png');
    await page.screenshot({ path: screenshot });
    step(`screenshot: ${screenshot}`);

    step('every request went to cubeauth and succeeded');
    const elsewhere = requests
      .map((request) => request.url())
      .filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin);
    check(elsewhere.length === 0, `requests to other hosts: ${elsewhere.join(', ')}`);
    const assets = requests.filter((request) => new URL(request.url()).pathname.startsWith('/api/playground/'));
    check(assets.length >= 5, `the page loaded ${assets.length} assets from /api/playground/`);
    for (const request of assets) {
      const response = await request.response();
      const encoding = response ? (await response.allHeaders())['content-encoding'] : undefined;
      check(encoding === 'gzip', `${request.url()} came without gzip (${encoding})`);
    }
    check(problems.length === 0, `problems while loading and using the page:\n  ${problems.join('\n  ')}`);
    console.log(`${requests.length} requests, all to ${origin}`);
  } finally {
    await context.close();
  }
}

async function main() {
  const { chromium } = await loadPlaywright();
  check(
    existsSync(kChromium),
    `no Chromium at ${kChromium}: install Debian's package (apt-get install chromium, or ` +
      'CUBEAUTH_SETUP_BROWSER=1 scripts/setup.sh)',
  );
  const workDir = mkdtempSync(path.join(tmpdir(), 'cubeauth-browser-'));
  let server;
  try {
    let pageUrl = process.env.CUBEAUTH_PLAYGROUND_URL;
    if (!pageUrl) {
      server = await startCubeauth(process.argv[2], workDir);
      pageUrl = `${server.base}/api`;
    }
    await runPlayground(chromium, pageUrl, workDir);
    console.log('PASS: the playground loads offline, fetches the schema and runs { hello }');
  } catch (error) {
    if (server) {
      console.error(`cubeauth's log:\n${server.log()}`);
    }
    throw error;
  } finally {
    await stopCubeauth(server);
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`FAIL: ${error instanceof TestFailure ? error.message : error.stack}`);
  process.exitCode = 1;
});
