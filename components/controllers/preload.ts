/**
 * Starts the page's Python runtime before the first Run, so that Run answers at once. When, is
 * `configure({preload})`:
 *
 * - `'intent'` (default): the pointer rests on a cell, focus enters one, or a press or a touch
 *   begins on one;
 * - `'visible'`: a cell comes near the viewport (and on intent);
 * - `'eager'`: the browser is idle after the page has loaded (and on intent or visibility);
 * - `'none'`: on the first run.
 *
 * Nothing is preloaded when the reader's browser asks to save data (`navigator.connection.saveData`).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { onConfigure, type PreloadMode } from '../../runtime/index.js';
import { parsePackageList, scanImports } from '../../runtime/packages.js';
import type { PrefetchHints } from '../../runtime/protocol.js';
import { isWheelReference } from '../../runtime/wheels.js';

export interface PreloadOptions {
  /** The mode in force (read at every trigger, so `configure()` after the cells counts). */
  mode(): PreloadMode;
  /** Whether this cell may start its runtime early (main-thread cells may not: it blocks the page). */
  eligible(): boolean;
  /** Starts the cell's runtime if it is not started. */
  start(): void;
  /** Whether the reader asked to save data. Default: `navigator.connection.saveData`. */
  saveData?(): boolean;
}

/** How long the pointer rests on a cell before it counts as intent, in ms. */
export const REST_MS = 80;
/** How near the viewport a cell counts as visible. */
const NEAR_VIEWPORT = '300px 0px';
/** The longest the eager start waits for an idle moment after load, in ms. */
const IDLE_TIMEOUT_MS = 2000;

/** Each trigger's rank: a mode preloads on its own trigger and on every lower one. */
const RANK: Record<PreloadMode, number> = { none: 0, intent: 1, visible: 2, eager: 3 };

const readerSavesData = () => (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData === true;

/** Connected cells' controllers: the eager start and `configure()` reach them all. */
const connected = new Set<PreloadController>();
let visibility: IntersectionObserver | null = null;
const observed = new WeakMap<Element, PreloadController>();
/** The eager start: not asked for yet, waiting for an idle moment after load, or done (later cells start at once). */
let eager: 'unasked' | 'waiting' | 'done' = 'unasked';

function nearViewport(): IntersectionObserver {
  visibility ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) if (entry.isIntersecting) observed.get(entry.target)?.trigger('visible');
    },
    { rootMargin: NEAR_VIEWPORT },
  );
  return visibility;
}

/** Once per page: after load, at the first idle moment, every connected cell's trigger. */
function scheduleEager(): void {
  if (eager !== 'unasked') return;
  eager = 'waiting';
  const fire = () => {
    eager = 'done';
    connected.forEach((controller) => controller.trigger('eager'));
  };
  // Safari has no requestIdleCallback: a short timeout after load stands in for it.
  const idle = () =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(fire, { timeout: IDLE_TIMEOUT_MS }) : setTimeout(fire, 200);
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
}

// A page often calls configure({preload}) after its cells were upgraded.
onConfigure(() => connected.forEach((controller) => controller.follow()));

export class PreloadController implements ReactiveController {
  private restTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners: [string, (event: Event) => void][] = [
    ['pointerenter', (event) => this.pointerEntered(event as PointerEvent)],
    ['pointerleave', () => clearTimeout(this.restTimer)],
    ['pointerdown', () => this.trigger('intent')],
    ['focusin', () => this.trigger('intent')],
  ];

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: PreloadOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    for (const [type, listener] of this.listeners) this.host.addEventListener(type, listener, { passive: true });
    connected.add(this);
    this.follow();
  }

  hostDisconnected(): void {
    for (const [type, listener] of this.listeners) this.host.removeEventListener(type, listener);
    clearTimeout(this.restTimer);
    connected.delete(this);
    visibility?.unobserve(this.host);
    observed.delete(this.host);
  }

  /** Watches for what the mode in force starts on (again after `configure()`). */
  follow(): void {
    const mode = this.options.mode();
    if (RANK[mode] >= RANK.visible) {
      // Observed afresh, so that a cell already in view reports it now.
      nearViewport().unobserve(this.host);
      observed.set(this.host, this);
      nearViewport().observe(this.host);
    }
    if (mode === 'eager' && eager === 'done') this.trigger('eager');
    else if (mode === 'eager') scheduleEager();
  }

  private pointerEntered(event: PointerEvent): void {
    clearTimeout(this.restTimer);
    // A touch's pointerenter comes with its pointerdown, which triggers at once.
    if (event.pointerType === 'touch') return;
    this.restTimer = setTimeout(() => this.trigger('intent'), REST_MS);
  }

  /** Starts the runtime if the mode in force preloads on `trigger` and this cell may. */
  trigger(trigger: Exclude<PreloadMode, 'none'>): void {
    if (RANK[this.options.mode()] < RANK[trigger] || !this.options.eligible()) return;
    if ((this.options.saveData ?? readerSavesData)()) return;
    if (trigger !== 'intent') {
      visibility?.unobserve(this.host);
      observed.delete(this.host);
    }
    this.options.start();
  }
}

/** What a cell offers the prefetch. */
export interface CellNeeds {
  code: string;
  /** The `packages` attribute. */
  packages: string | null;
  mainThread: boolean;
}

/**
 * What the page's worker cells will likely need, for the runtime to download while Python
 * starts: the names and wheel URLs (made absolute) of their `packages`, and the modules their
 * code imports, found by a static scan.
 */
export function pageNeeds(cells: Iterable<CellNeeds>): PrefetchHints {
  const packages = new Set<string>();
  const imports = new Set<string>();
  for (const cell of cells) {
    if (cell.mainThread) continue;
    for (const name of parsePackageList(cell.packages).names) {
      try {
        packages.add(isWheelReference(name) ? new URL(name, document.baseURI).href : name);
      } catch {
        // Not a URL: the cell says so when it runs.
      }
    }
    scanImports(cell.code).forEach((name) => imports.add(name));
  }
  return { packages: [...packages], imports: [...imports] };
}
