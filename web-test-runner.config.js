// `npm test` runs every group in three engines, one after the other (two cores): Chromium,
// Firefox ESR and WebKit (scripts/browsers.mjs). `BROWSERS=firefox npx web-test-runner` (or a
// comma-separated list) runs some of them. Unit tests need no WebAssembly; integration tests boot
// the real Pyodide from wasm-dist/ inside the real worker.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { awaitNavigation, launchOptions, reportUnhandledRejections, requestedEngines, startWebKitDriver } from './scripts/browsers.mjs';
import { cdnServer } from './scripts/cdn-server.mjs';
import { faultInjection } from './scripts/fault-middleware.mjs';
import { crossOriginIsolation, inputServiceWorkerAtRoot, strictContentSecurityPolicy } from './scripts/isolation-middleware.mjs';

const engines = requestedEngines();
reportUnhandledRejections();

/** `executeServerCommand('bring-to-front')`: makes the test page the visible tab (the Long
 * Tasks API reports nothing for a hidden page). A WebDriver window is always in front. */
const bringToFront = {
  name: 'bring-to-front',
  async executeCommand({ command, session }) {
    if (command !== 'bring-to-front') return undefined;
    if (session.browser.type === 'puppeteer') await session.browser.getPage(session.id).bringToFront();
    return true;
  },
};

/**
 * `executeServerCommand('heap')`: bytes of JavaScript heap in use by the page and by each of its
 * workers, after a garbage collection; Chromium only (the DevTools Protocol), else `false`.
 */
const heap = {
  name: 'heap',
  async executeCommand({ command, session }) {
    if (command !== 'heap') return undefined;
    if (session.browser.type !== 'puppeteer' || session.browser.name !== 'Chrome') return false;
    const page = session.browser.getPage(session.id);
    const used = async (client) => {
      await client.send('HeapProfiler.collectGarbage');
      return (await client.send('Runtime.getHeapUsage')).usedSize;
    };
    const client = await page.createCDPSession();
    try {
      return { page: await used(client), workers: await Promise.all(page.workers().map((worker) => used(worker.client))) };
    } finally {
      await client.detach();
    }
  },
};

/**
 * `executeServerCommand('open-window', { url })`: opens `url` as a top-level page of its own.
 * Through WebDriver (WebKit), where a page cannot open windows itself; elsewhere the page does
 * (`false`). `close-windows` closes what it opened.
 */
const windows = {
  name: 'windows',
  async executeCommand({ command, payload, session }) {
    if (command !== 'open-window' && command !== 'close-windows') return undefined;
    if (session.browser.type !== 'webdriver') return false;
    const { driver } = session.browser;
    const original = await driver.getWindowHandle();
    if (command === 'open-window') {
      const { handle } = await driver.createWindow('window');
      await driver.switchToWindow(handle);
      // Not `navigateTo`: it waits for the load, and WebKitWebDriver can lose a load that swaps
      // processes (a COOP page), which once held CI for 300 s. The test waits for the page's
      // own report instead, under its own timeout.
      await driver.executeScript('location.href = arguments[0]', [payload.url]);
    } else {
      for (const handle of await driver.getWindowHandles()) {
        if (handle === original) continue;
        await driver.switchToWindow(handle);
        await driver.closeWindow();
      }
    }
    await driver.switchToWindow(original);
    return true;
  },
};

/**
 * `executeServerCommand('prerender-cli', { pages, args })`: copies each page (a path from the
 * repository's root) into test/_build/prerender-cli/ and runs `py-cell prerender <args> <copies>`
 * (dist/prerender-cli.js) on the copies; answers `{ code, output, pages }` (the copies' paths).
 * With `again: true` it runs on the copies already there.
 */
const prerenderCli = {
  name: 'prerender-cli',
  async executeCommand({ command, payload }) {
    if (command !== 'prerender-cli') return undefined;
    const dir = 'test/_build/prerender-cli';
    mkdirSync(dir, { recursive: true });
    const pages = payload.pages.map((page) => {
      const copy = `${dir}/${page.replaceAll('/', '_')}`;
      if (!payload.again) copyFileSync(page, copy);
      return copy;
    });
    const run = spawnSync('node', ['dist/prerender-cli.js', 'prerender', ...payload.args, ...pages], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    return { code: run.status, output: run.stdout + run.stderr, pages: pages.map((page) => `/${page}`) };
  },
};

/**
 * A `.json` file a module imports (the snapshot contract, runtime/engine/snapshot-contract.json)
 * is served as a JavaScript module whose default export is its value, as rollup.config.js's
 * `jsonAsModule` bundles it. The import is marked `?json-module`: a `fetch` of a JSON file (the
 * runtime's manifest, the lock file) still gets the JSON itself.
 */
const jsonModules = {
  name: 'json-modules',
  transformImport: ({ source }) => (/^\.{1,2}\/[^?#]*\.json$/.test(source) ? `${source}?json-module` : undefined),
  resolveMimeType: (context) => (isJsonModule(context) ? 'js' : undefined),
  transform: (context) => (isJsonModule(context) ? `export default ${context.body};` : undefined),
};
const isJsonModule = (context) => context.path.endsWith('.json') && context.URL.searchParams.has('json-module');

const browsers = [];
if (engines.includes('chromium')) browsers.push(chromeLauncher({ launchOptions: launchOptions.chromium() }));
if (engines.includes('firefox')) browsers.push(chromeLauncher({ puppeteer, launchOptions: launchOptions.firefox() }));
if (engines.includes('webkit')) {
  const { port, capabilities } = await startWebKitDriver();
  const webkit = webdriverLauncher({
    automationProtocol: 'webdriver',
    hostname: '127.0.0.1',
    port,
    path: '/',
    capabilities,
    logLevel: 'error',
  });
  // Its label comes from `browserName`, which WebKitWebDriver's capabilities must not have.
  const initialize = webkit.initialize.bind(webkit);
  webkit.initialize = async (...args) => {
    await initialize(...args);
    webkit.name = 'WebKit';
  };
  browsers.push(awaitNavigation(webkit));
}

/**
 * TypeScript for the tests; the built test sites are served exactly as built (the plugin would
 * parse and rewrite a page to transform its inline scripts, and a framework that hydrates the
 * page, VitePress, would then see other markup than it rendered).
 */
const esbuild = esbuildPlugin({ ts: true, target: 'es2022' });
const esbuildTransform = esbuild.transform.bind(esbuild);
esbuild.transform = (context) => (context.path.startsWith('/test/sites/_build/') ? undefined : esbuildTransform(context));

export default {
  rootDir: '.',
  nodeResolve: { exportConditions: ['production'] },
  middleware: [crossOriginIsolation, strictContentSecurityPolicy, inputServiceWorkerAtRoot, faultInjection(process.cwd())],
  plugins: [esbuild, jsonModules, bringToFront, heap, windows, prerenderCli, cdnServer()],
  // Two cores: one engine and one page at a time keep Pyodide boots from starving each other.
  concurrentBrowsers: 1,
  concurrency: 1,
  browsers,
  browserStartTimeout: 120_000,
  testsStartTimeout: 180_000,
  testsFinishTimeout: 1_200_000,
  // Integration tests boot Pyodide (seconds on two cores; WebKit without stack switching more).
  testFramework: { config: { timeout: 180_000 } },
  // TEST_FILES=test/integration/outputs.test.ts npx web-test-runner: just those files.
  groups: process.env.TEST_FILES
    ? [{ name: 'selected', files: process.env.TEST_FILES }]
    : [
        { name: 'unit', files: 'test/unit/**/*.test.ts' },
        { name: 'integration', files: 'test/integration/**/*.test.ts' },
      ],
};
