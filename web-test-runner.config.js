// `npm test` runs every group headless in Debian's Chromium: unit tests (no WebAssembly) and
// integration tests that boot the real Pyodide from wasm-dist/ inside the real worker.
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { faultInjection } from './scripts/fault-middleware.mjs';
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs';
import { crossOriginIsolation, strictContentSecurityPolicy } from './scripts/isolation-middleware.mjs';

if (!chromiumPath) throw new Error('Chromium not found: apt-get install -y chromium, or set CHROME_PATH.');

/** `executeServerCommand('bring-to-front')`: makes the test page the visible tab (the Long
 * Tasks API reports nothing for a hidden page). */
const bringToFront = {
  name: 'bring-to-front',
  async executeCommand({ command, session }) {
    if (command !== 'bring-to-front') return undefined;
    await session.browser.getPage(session.id).bringToFront();
    return true;
  },
};

export default {
  rootDir: '.',
  nodeResolve: { exportConditions: ['production'] },
  middleware: [crossOriginIsolation, strictContentSecurityPolicy, faultInjection(process.cwd())],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), bringToFront],
  // Two cores: one page at a time keeps Pyodide boots from starving each other.
  concurrency: 1,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromiumPath,
        headless: true,
        // The cross-origin isolation tests open their pages in new windows.
        args: [...chromiumArgs, '--disable-popup-blocking'],
      },
    }),
  ],
  browserStartTimeout: 60_000,
  testsStartTimeout: 120_000,
  testsFinishTimeout: 600_000,
  // Integration tests boot Pyodide (several seconds on two cores); unit tests finish in ms.
  testFramework: { config: { timeout: 120_000 } },
  // TEST_FILES=test/integration/outputs.test.ts npx web-test-runner: just those files.
  groups: process.env.TEST_FILES
    ? [{ name: 'selected', files: process.env.TEST_FILES }]
    : [
        { name: 'unit', files: 'test/unit/**/*.test.ts' },
        { name: 'integration', files: 'test/integration/**/*.test.ts' },
      ],
};
