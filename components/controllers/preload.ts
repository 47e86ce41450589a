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
import { onConfigure, PRELOAD_MODES, type PreloadMode } from '../../runtime/index.js';

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
const rank = (mode: PreloadMode) => PRELOAD_MODES.indexOf(mode);

const readerSavesData = () => (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData === true;

/** Connected cells' controllers: the eager start and `configure()` reach them all. */
const connected = new Set<PreloadController>();
let visibility: IntersectionObserver | null = null;
const observed = new WeakMap<Element, PreloadController>();
/** The eager start: 0 not asked for yet, 1 waiting for an idle moment after load, 2 done (later cells start at once). */
let eager: 0 | 1 | 2 = 0;

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
  if (eager) return;
  eager = 1;
  const fire = () => {
    eager = 2;
    connected.forEach((controller) => controller.trigger('eager'));
  };
  // Safari has no requestIdleCallback: a short timeout after load stands in for it.
  const idle = () => ('requestIdleCallback' in self ? requestIdleCallback(fire, { timeout: IDLE_TIMEOUT_MS }) : setTimeout(fire, 200));
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
}

/** The events a controller hears on its cell (in `handleEvent`). */
const EVENTS = ['pointerenter', 'pointerleave', 'pointerdown', 'focusin'];

// A page often calls configure({preload}) after its cells were upgraded.
onConfigure(() => connected.forEach((controller) => controller.follow()));

export class PreloadController implements ReactiveController {
  private restTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: PreloadOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    for (const type of EVENTS) this.host.addEventListener(type, this);
    connected.add(this);
    this.follow();
  }

  hostDisconnected(): void {
    for (const type of EVENTS) this.host.removeEventListener(type, this);
    clearTimeout(this.restTimer);
    connected.delete(this);
    this.unobserve();
  }

  private unobserve(): void {
    visibility?.unobserve(this.host);
    observed.delete(this.host);
  }

  /** Watches for what the mode in force starts on (again after `configure()`). */
  follow(): void {
    const mode = this.options.mode();
    if (rank(mode) >= rank('visible')) {
      // Observed afresh, so that a cell already in view reports it now.
      nearViewport().unobserve(this.host);
      observed.set(this.host, this);
      nearViewport().observe(this.host);
    }
    if (mode === 'eager' && eager === 2) this.trigger('eager');
    else if (mode === 'eager') scheduleEager();
  }

  /** Intent: the pointer resting on the cell, focus entering it, a press or a touch beginning on it. */
  handleEvent(event: Event): void {
    clearTimeout(this.restTimer);
    if (event.type === 'pointerleave') return;
    // A touch's pointerenter comes with its pointerdown, which triggers at once.
    if (event.type !== 'pointerenter') this.trigger('intent');
    else if ((event as PointerEvent).pointerType !== 'touch') this.restTimer = setTimeout(() => this.trigger('intent'), REST_MS);
  }

  /** Starts the runtime if the mode in force preloads on `trigger` and this cell may. */
  trigger(trigger: Exclude<PreloadMode, 'none'>): void {
    if (rank(this.options.mode()) < rank(trigger) || !this.options.eligible()) return;
    if ((this.options.saveData ?? readerSavesData)()) return;
    if (trigger !== 'intent') this.unobserve();
    this.options.start();
  }
}
