/**
 * Canvases that worker Python draws on (`pycell.canvas()`): each is an `OffscreenCanvas` whose
 * picture is sent to the page as an `ImageBitmap`, as a frame of the run that made it, whenever
 * the code yields to the event loop (every `intervalMs`) and when a run ends.
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
  private readonly canvases = new Map<number, { canvas: OffscreenCanvas; run: number | null }>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly create: (width: number, height: number) => OffscreenCanvas;
  private readonly snapshot: (canvas: OffscreenCanvas) => Promise<ImageBitmap>;
  private readonly intervalMs: number;

  constructor(
    private readonly sink: CanvasSink,
    options: WorkerCanvasesOptions = {},
  ) {
    this.create = options.create ?? ((width, height) => new OffscreenCanvas(width, height));
    this.snapshot = options.snapshot ?? ((canvas) => createImageBitmap(canvas));
    this.intervalMs = options.intervalMs ?? 100;
  }

  /** A new canvas of run `run`, and the id its frames carry. */
  add(width: number, height: number, run: number | null): { id: number; canvas: OffscreenCanvas } {
    const id = this.next++;
    const canvas = this.create(width, height);
    this.canvases.set(id, { canvas, run });
    this.timer ??= setInterval(() => void this.commit(), this.intervalMs);
    return { id, canvas };
  }

  /** Sends the current picture of every canvas. */
  async commit(): Promise<void> {
    await Promise.all(
      Array.from(this.canvases, async ([id, { canvas, run }]) => {
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
