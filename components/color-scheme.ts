/**
 * The cells' colour scheme, kept current for the whole page (`configure({ colorScheme })`):
 * `'auto'` matches the page behind each cell (the first opaque background among its ancestors,
 * else the canvas, which is dark only when the page's `color-scheme` offers dark and the reader
 * prefers it), so a site's own dark toggle, whatever attribute it sets, turns the cells dark and
 * back, and a light-only theme keeps them light whatever the reader's system prefers. The scheme
 * is the host's custom state `dark` (`:host(:state(dark))` in the styles), and `schemeChanges`
 * tells renderers (charts) to draw again.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { currentConfig } from '../runtime/index.js';

/** Fired (a plain `Event` named `change`) when any cell's scheme changed. */
export const schemeChanges = new EventTarget();

interface Follower {
  host: HTMLElement;
  states: CustomStateSet | null;
}

const followers = new Set<Follower>();
const MEDIA = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

function luminance(color: string): number | null {
  const match = /rgba?\(([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?/.exec(color);
  if (!match) return null;
  const alpha = match[4] === undefined ? 1 : match[4].endsWith('%') ? parseFloat(match[4]) / 100 : Number(match[4]);
  if (alpha < 0.5) return null;
  const [r, g, b] = match.slice(1, 4).map(Number) as [number, number, number];
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/** The element a node's box sits in: its parent, or the host of its shadow root. */
function container(element: Element): Element | null {
  if (element.parentElement) return element.parentElement;
  const root = element.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

/** Whether the page behind `host` is dark. */
function pageIsDark(host: HTMLElement): boolean {
  for (let element = container(host); element; element = container(element)) {
    const light = luminance(getComputedStyle(element).backgroundColor);
    if (light !== null) return light < 0.45;
  }
  const offered = getComputedStyle(document.documentElement).colorScheme;
  const dark = /\bdark\b/.test(offered);
  return dark && (!/\blight\b/.test(offered) || MEDIA?.matches === true);
}

/** Whether `host` should be dark under the configured scheme. */
function isDark(host: HTMLElement, scheme: string): boolean {
  if (scheme === 'light' || scheme === 'dark') return scheme === 'dark';
  if (scheme === 'auto') return pageIsDark(host);
  try {
    return document.querySelector(scheme) !== null;
  } catch {
    return pageIsDark(host); // not a selector: `configure()` cannot check one without a page
  }
}

let scheduled = false;

/** Sets every cell's scheme again, in a task of its own (one pass for many changes; frames do not run in a hidden page). */
function update(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    const scheme = currentConfig().colorScheme.trim();
    let changed = false;
    for (const { host, states } of followers) {
      const dark = isDark(host, scheme);
      if (!states || states.has('dark') === dark) continue;
      if (dark) states.add('dark');
      else states.delete('dark');
      changed = true;
    }
    if (changed) schemeChanges.dispatchEvent(new Event('change'));
  }, 0);
}

/** Watches what a site's toggle changes: the root's and the body's attributes, the reader's preference, late style sheets. */
const watcher = typeof MutationObserver === 'function' ? new MutationObserver(update) : null;
let watching = false;

function watch(): void {
  if (watching || !watcher) return;
  watching = true;
  watcher.observe(document.documentElement, { attributes: true });
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- null while the head's scripts run
  if (document.body) watcher.observe(document.body, { attributes: true });
  else document.addEventListener('DOMContentLoaded', () => watcher.observe(document.body, { attributes: true }), { once: true });
  MEDIA?.addEventListener('change', update);
  addEventListener('load', update);
}

/** Sets every cell's scheme again (after `configure({ colorScheme })`). */
export const refreshSchemes = update;

/** Keeps its host's scheme current while it is connected (its custom state `dark`). */
export class SchemeController implements ReactiveController {
  private readonly follower: Follower;

  constructor(host: ReactiveControllerHost & HTMLElement, internals: ElementInternals) {
    // CustomStateSet: Chromium 125, Firefox 126, Safari 17.4; older engines keep the light scheme.
    this.follower = { host, states: 'states' in internals ? internals.states : null };
    host.addController(this);
  }

  hostConnected(): void {
    followers.add(this.follower);
    watch();
    update();
  }

  hostDisconnected(): void {
    followers.delete(this.follower);
  }
}
