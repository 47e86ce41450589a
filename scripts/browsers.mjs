// The three engines the tests run in, all from Debian's packages (no browser downloads):
//   chromium  Debian's chromium, through puppeteer-core (CDP)
//   firefox   Debian's firefox-esr, through puppeteer-core (WebDriver BiDi)
//   webkit    WebKitGTK's MiniBrowser, through Debian's webkit2gtk-driver (WebDriver classic). It has
//             no headless mode: an Xvfb display and WebKitWebDriver are started here, and stopped
//             when the process exits.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearInterval } from 'node:timers';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

export const firefoxPath = process.env.FIREFOX_PATH ?? ['/usr/bin/firefox-esr', '/usr/bin/firefox'].find((path) => existsSync(path));
export const miniBrowserPath =
  process.env.MINIBROWSER_PATH ??
  ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser'].find((path) =>
    existsSync(path),
  );
const webkitDriverPath = ['/usr/bin/WebKitWebDriver'].find((path) => existsSync(path));
const xvfbPath = ['/usr/bin/Xvfb'].find((path) => existsSync(path));

/** Where each engine comes from, for the message when one is missing. */
const INSTALL = {
  chromium: 'apt-get install -y chromium (or set CHROME_PATH)',
  firefox: 'apt-get install -y firefox-esr (or set FIREFOX_PATH)',
  webkit: 'apt-get install -y webkit2gtk-driver xvfb',
};

/** The engines asked for in `BROWSERS` (comma-separated; default: all three), checked. */
export function requestedEngines(value = process.env.BROWSERS) {
  const engines = value
    ? value
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean)
    : ENGINES;
  for (const engine of engines) {
    if (!ENGINES.includes(engine)) throw new Error(`BROWSERS: unknown engine '${engine}' (known: ${ENGINES.join(', ')})`);
    const found = { chromium: chromiumPath, firefox: firefoxPath, webkit: webkitDriverPath && xvfbPath && miniBrowserPath }[engine];
    if (!found) throw new Error(`${engine} is not installed: ${INSTALL[engine]}. BROWSERS=chromium npm test runs one engine.`);
  }
  return engines;
}

/** puppeteer-core launch options for Chromium and Firefox. */
export const launchOptions = {
  chromium: () => ({ executablePath: chromiumPath, headless: true, args: [...chromiumArgs, '--disable-popup-blocking'] }),
  firefox: () => ({
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
    // Popups for the tests' pages with other headers; no network beyond localhost.
    extraPrefsFirefox: { 'dom.disable_open_during_load': false, 'network.dns.disableIPv6': true },
  }),
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`WebKitWebDriver did not listen on port ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts an Xvfb display and WebKitWebDriver on free numbers; both are killed when this process
 * exits. Resolves with the driver's port and the capabilities that start MiniBrowser.
 */
export async function startWebKitDriver() {
  const display = `:${90 + Math.floor(Math.random() * 400)}`;
  const children = [];
  // What WebKitWebDriver and MiniBrowser print goes to a log, whose end is shown if the run fails.
  const log = join(tmpdir(), `py-cell-webkit-${process.pid}.log`);
  const logFd = openSync(log, 'w');
  const stop = (code) => {
    children.forEach((child) => child.kill('SIGKILL'));
    closeSync(logFd);
    if (code) process.stdout.write(`\nWebKitWebDriver's log (${log}), its end:\n${readFileSync(log, 'utf8').slice(-4000)}\n`);
  };
  process.on('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
  children.push(spawn(xvfbPath, [display, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: 'ignore' }));
  const port = await freePort();
  // SharedArrayBuffer on cross-origin isolated pages, as in Safari (WebKitGTK leaves it off).
  const env = { ...process.env, DISPLAY: display, JSC_useSharedArrayBuffer: '1' };
  children.push(spawn(webkitDriverPath, [`--port=${port}`], { stdio: ['ignore', logFd, logFd], env }));
  await waitForPort(port, 20_000);
  return {
    port,
    capabilities: { 'webkitgtk:browserOptions': { binary: miniBrowserPath, args: ['--automation'] } },
  };
}

/**
 * @web/test-runner-webdriver opens each test file's page without awaiting the navigation: when
 * WebKitWebDriver refused one, the rejection went unhandled and stopped the whole run (exit 1)
 * with no test named. Here the navigation is awaited, for at most `NAVIGATION_MS`, and a refused
 * or hung one is tried once more in a new browser (a CI run once saw a navigation hang for the
 * HTTP client's 300 s and the same browser then drop the next file's page): the failure is the
 * driver's, not a test's. A second failure fails that test file, with the driver's message.
 */
export function awaitNavigation(launcher) {
  launcher.startSession = async (id, url) => {
    await launcher.ensureManagerInitialized();
    try {
      await within(NAVIGATION_MS, launcher.driverManager.startSession(id, url), 'the navigation');
    } catch (error) {
      process.stdout.write(`\nWebKit: opening ${url} failed (${error?.message ?? error}); trying once more in a new browser\n`);
      await replaceBrowser(launcher);
      await launcher.driverManager.startSession(id, url);
    }
  };
  return launcher;
}

/** How long a test file's page may take to open in WebKit, in ms (on two cores, seconds). */
const NAVIGATION_MS = 120_000;

/** Ends the launcher's WebDriver session (its browser goes with it) and starts a new one. */
async function replaceBrowser(launcher) {
  await within(20_000, launcher.stop(), 'ending the session').catch(() => undefined);
  // stop() forgets the session only once the driver answered; a hung one is forgotten here.
  clearInterval(launcher.pendingHeartbeat);
  launcher.driver = launcher.driverManager = undefined;
  await launcher.ensureManagerInitialized();
}

/** `promise`, or a rejection naming `what` after `ms`. */
function within(ms, promise, what) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms / 1000} s`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Anything the runner's own promises leave unhandled is printed on standard output before the runner stops. */
export function reportUnhandledRejections() {
  process.on('unhandledRejection', (reason) => {
    process.stdout.write(`\nUnhandled rejection in the test runner: ${reason?.stack ?? reason}\n`);
    throw reason;
  });
}
