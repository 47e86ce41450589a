/**
 * Canvases that worker Python draws on (`pycell.canvas()`): each is an `OffscreenCanvas` whose
 * picture is sent to the page as an `ImageBitmap` whenever the code yields to the event loop
 * (every `intervalMs`) and when the run ends.
 */

export interface CanvasSink {
  /** A new picture of canvas `canvas`, drawn by run `run`. */
  frame(run: number | null, canvas: number, frame: ImageBitmap): void;
}

export interface WorkerCanvasesOptions {
  /** Makes the canvases (tests pass a stand-in). */
  create?: (width: number, height: number) => OffscreenCanvas;
  /** Takes a canvas's picture. */
  snapshot?: (canvas: OffscreenCanvas) => Promise<ImageBitmap>;
  intervalMs?: number;
}

export class WorkerCanvases {
  private next = 1;
  private readonly canvases = new Map<number, OffscreenCanvas>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly create: (width: number, height: number) => OffscreenCanvas;
  private readonly snapshot: (canvas: OffscreenCanvas) => Promise<ImageBitmap>;
  private readonly intervalMs: number;

  constructor(
    private readonly sink: CanvasSink,
    private readonly currentRun: () => number | null,
    options: WorkerCanvasesOptions = {},
  ) {
    this.create = options.create ?? ((width, height) => new OffscreenCanvas(width, height));
    this.snapshot = options.snapshot ?? ((canvas) => createImageBitmap(canvas));
    this.intervalMs = options.intervalMs ?? 100;
  }

  /** A new canvas for the current run, and the id its frames carry. */
  add(width: number, height: number): { id: number; canvas: OffscreenCanvas } {
    const id = this.next++;
    const canvas = this.create(width, height);
    this.canvases.set(id, canvas);
    this.timer ??= setInterval(() => void this.commit(), this.intervalMs);
    return { id, canvas };
  }

  /** Sends the current picture of every canvas of the run. */
  async commit(): Promise<void> {
    const run = this.currentRun();
    await Promise.all(
      Array.from(this.canvases, async ([id, canvas]) => {
        try {
          this.sink.frame(run, id, await this.snapshot(canvas));
        } catch {
          // A canvas nobody drew on has nothing to show yet.
        }
      }),
    );
  }

  /** The run is over: its canvases send their last picture and are forgotten. */
  async end(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.canvases.size === 0) return;
    await this.commit();
    this.canvases.clear();
  }
}
