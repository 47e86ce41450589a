import { expect } from '@esm-bundle/chai';
import { WorkerCanvases } from '../../runtime/engine/canvases.js';

describe('WorkerCanvases', () => {
  it('sends each canvas’s picture as a frame of the run that made it, and the last one when a run ends', async () => {
    const frames: Array<[number | null, number, string]> = [];
    const canvases = new WorkerCanvases(
      { frame: (id, canvas, frame) => frames.push([id, canvas, frame as unknown as string]) },
      {
        create: (width, height) => ({ width, height }) as unknown as OffscreenCanvas,
        snapshot: async (canvas) => `${canvas.width}x${canvas.height}` as unknown as ImageBitmap,
        intervalMs: 10_000,
      },
    );
    const first = canvases.add(20, 10, 7);
    const second = canvases.add(5, 5, 8);
    expect([first.id, second.id]).to.deep.equal([1, 2]);
    await canvases.commit();
    await canvases.end();
    await canvases.end(); // nothing left to send
    expect(frames).to.deep.equal([
      [7, 1, '20x10'],
      [8, 2, '5x5'],
      [7, 1, '20x10'],
      [8, 2, '5x5'],
    ]);
  });

  it('skips a canvas that has no picture yet', async () => {
    const frames: number[] = [];
    const canvases = new WorkerCanvases(
      { frame: (_id, canvas) => frames.push(canvas) },
      {
        create: () => ({}) as OffscreenCanvas,
        snapshot: () => Promise.reject(new Error('nothing drawn')),
      },
    );
    canvases.add(1, 1, 1);
    await canvases.end();
    expect(frames).to.deep.equal([]);
  });
});
