// Assert on strings, numbers and booleans, never on DOM nodes: when such an assertion fails,
// the runner serialises the node to report it and the page hangs instead of failing.
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import type { PyCell } from '../../components/py-cell/py-cell.js';
import type { RuntimeClient } from '../../runtime/page/client.js';
import { disposeRuntimes } from '../../runtime/page/registry.js';
import { PRERENDERED_TYPE } from '../../cell/stored-outputs.js';
import '../../dist/py-cell.js';

// These tests need a Python of their own page: in Chromium the default would share one with
// every test page before (its extended lifetime outlives a test file). The shared runtime is
// tested by shared-runtime.test.ts and, as sites have it, by sites.test.ts.
const bundle = '../../dist/py-cell.js';
const { configure } = (await import(bundle)) as typeof import('../../components/index.js');
configure({ sharedRuntime: false });

/**
 * Makes the next run start a fresh Python runtime: every runtime of the page is disposed (the
 * registry is shared with the bundle, so the cells' own runtime goes too).
 */
export const freshRuntime = disposeRuntimes;

/** Adds a `<py-cell>` with `code` (as a raw text/x-python script) to the document. */
export function addCell(code: string, attributes: Record<string, string> = {}, parent: Node = document.body): PyCell {
  const cell = document.createElement('py-cell');
  for (const [name, value] of Object.entries(attributes)) cell.setAttribute(name, value);
  const script = document.createElement('script');
  script.type = 'text/x-python';
  script.textContent = code;
  cell.append(script);
  parent.appendChild(cell);
  return cell;
}

/**
 * Adds a `<py-cell>` whose markup holds `code` and stored outputs (`json`, as `py-cell prerender`
 * writes them), both in place before it is connected.
 */
export function addStoredCell(code: string, json: string): PyCell {
  const cell = document.createElement('py-cell');
  const script = document.createElement('script');
  script.type = 'text/x-python';
  script.textContent = code;
  const data = document.createElement('script');
  data.type = PRERENDERED_TYPE;
  data.setAttribute('data-py-cell-prerendered', '');
  data.textContent = json;
  cell.append(script, data);
  document.body.append(cell);
  return cell;
}

/** The cell's output area, or `null` before its first render. */
export function outputArea(cell: PyCell): HTMLElement | null {
  return cell.shadowRoot?.querySelector<HTMLElement>('[part="output"]') ?? null;
}

/** The text of every output block of a part (`stdout`, `stderr`, `result`, `error`). */
export function partText(cell: PyCell, part: string): string {
  return Array.from(outputArea(cell)?.querySelectorAll(`[part="${part}"]`) ?? [])
    .map((element) => element.textContent)
    .join('');
}

export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The value once `find` gives one (polled every 50 ms), or a failure naming `what` after 10 s. */
export async function until<T>(find: () => T | undefined | null | false, what = 'a value'): Promise<T> {
  const end = performance.now() + 10_000;
  for (;;) {
    const value = find();
    if (value) return value;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** How many times the page loaded the worker script (one runtime means one). */
export function workerLoads(): number {
  return performance.getEntriesByType('resource').filter((entry) => entry.name.includes('py-cell-worker.js')).length;
}

/**
 * Opens a test page in a window of its own (one served with other headers) and waits for the
 * report it posts on a BroadcastChannel, which, unlike `window.opener`, survives COOP. Where a
 * page cannot open windows (WebKit under WebDriver), the test runner opens it.
 */
export async function reportFromPage<T>(url: string, channelName: string): Promise<T> {
  const channel = new BroadcastChannel(channelName);
  const received = new Promise<T>((resolve) => (channel.onmessage = (event) => resolve(event.data as T)));
  const byRunner = await executeServerCommand('open-window', { url: new URL(url, location.href).href });
  const popup = byRunner ? null : window.open(url, '_blank');
  try {
    return await received;
  } finally {
    channel.close();
    popup?.close();
    if (byRunner) await executeServerCommand('close-windows');
  }
}

/** The page's runtime client whose registry key contains `keyPart` (URL, snapshot setting, ...). */
export function runtimeWhere(keyPart: string): RuntimeClient {
  const registry =
    (globalThis as unknown as Record<symbol, Map<string, RuntimeClient> | undefined>)[Symbol.for('py-cell.runtimes')] ??
    new Map<string, RuntimeClient>();
  const found = [...registry.entries()].find(([key]) => key.includes(keyPart));
  if (!found) throw new Error(`no runtime with ${keyPart} in its key`);
  return found[1];
}

/** The engine the tests run in. */
export const engine: 'chromium' | 'firefox' | 'webkit' = /Firefox\//.test(navigator.userAgent)
  ? 'firefox'
  : /Chrome\//.test(navigator.userAgent) // HeadlessChrome/ too
    ? 'chromium'
    : 'webkit';

/**
 * Whether key presses reach the page as a reader types them. Not in WebKit under WebDriver
 * classic: it drops a space typed after punctuation, cannot hold a modifier down, and Tab does
 * not move the focus.
 */
export const keyboardDriven = engine !== 'webkit';

/** Whether the Long Tasks API, which measures main-thread blocking, exists (Chromium only). */
export const hasLongTasks = PerformanceObserver.supportedEntryTypes.includes('longtask');

/**
 * Longest main-thread task while `action` runs, from the Long Tasks API; `null` in engines
 * without it, where a test asserts the rest of what it checks.
 */
export async function longestTask<T>(action: () => Promise<T>): Promise<{ value: T; longest: number | null }> {
  if (!hasLongTasks) return { value: await action(), longest: null };
  // Long tasks are only reported for a visible page.
  await executeServerCommand('bring-to-front');
  expect(document.visibilityState).to.equal('visible');
  let longest = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
  });
  observer.observe({ type: 'longtask' });
  try {
    const value = await action();
    await sleep(50);
    return { value, longest };
  } finally {
    observer.disconnect();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens `url` in an iframe of the test page and waits until its `<py-cell>` elements are defined;
 * resolves with the frame's window. The caller removes the frame.
 */
export async function openFrame(url: string, frame = document.createElement('iframe')): Promise<Window & typeof globalThis> {
  frame.style.cssText = 'width: 900px; height: 700px; border: 0';
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.src = url;
  document.body.append(frame);
  await loaded;
  const view = frame.contentWindow as Window & typeof globalThis;
  await view.customElements.whenDefined('py-cell');
  return view;
}
