import { expect } from '@esm-bundle/chai';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { PreloadController, REST_MS, type PreloadOptions } from '../../components/controllers/preload.js';
import type { PreloadMode } from '../../runtime/page/registry.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A cell stand-in: an element that connects its controller when the test says so. */
function cell(
  options: Partial<Omit<PreloadOptions, 'mode'>> & { mode?: PreloadMode } = {},
  style = '',
): { element: HTMLElement; starts: () => number; controller: PreloadController } {
  const element = document.createElement('div') as unknown as HTMLElement & ReactiveControllerHost;
  element.style.cssText = `display: block; height: 50px; ${style}`;
  const controllers: ReactiveController[] = [];
  Object.assign(element, {
    addController: (controller: ReactiveController) => controllers.push(controller),
    removeController: () => undefined,
    requestUpdate: () => undefined,
    updateComplete: Promise.resolve(true),
  });
  let started = 0;
  const controller = new PreloadController(element, {
    mode: () => options.mode ?? 'intent',
    eligible: options.eligible ?? (() => true),
    start: () => started++,
    saveData: options.saveData ?? (() => false),
  });
  document.body.append(element);
  controllers.forEach((each) => each.hostConnected?.());
  return { element, starts: () => started, controller };
}

const pointer = (type: string, pointerType = 'mouse') => new PointerEvent(type, { pointerType, bubbles: type === 'pointerdown' });

describe('PreloadController', () => {
  const made: PreloadController[] = [];
  const make = (...args: Parameters<typeof cell>) => {
    const result = cell(...args);
    made.push(result.controller);
    return result;
  };
  afterEach(() => {
    made.splice(0).forEach((controller) => controller.hostDisconnected());
    document.body.replaceChildren();
  });

  it('starts when the pointer rests on the cell, not when it passes over it', async () => {
    const { element, starts } = make();
    element.dispatchEvent(pointer('pointerenter'));
    await pause(REST_MS / 4);
    element.dispatchEvent(pointer('pointerleave'));
    await pause(REST_MS * 2);
    expect(starts()).to.equal(0);
    element.dispatchEvent(pointer('pointerenter'));
    await pause(REST_MS * 2);
    expect(starts()).to.equal(1);
  });

  it('starts at once when focus enters the cell or a touch begins on it', () => {
    const focused = make();
    focused.element.dispatchEvent(new FocusEvent('focusin'));
    expect(focused.starts()).to.equal(1);
    const touched = make();
    touched.element.dispatchEvent(pointer('pointerenter', 'touch'));
    touched.element.dispatchEvent(pointer('pointerdown', 'touch'));
    expect(touched.starts()).to.equal(1);
  });

  it("does nothing with 'none', when the reader saves data, or for a cell that may not preload", async () => {
    const cases = [make({ mode: 'none' }), make({ mode: 'eager', saveData: () => true }), make({ mode: 'eager', eligible: () => false })];
    for (const { element } of cases) {
      element.dispatchEvent(new FocusEvent('focusin'));
      element.dispatchEvent(pointer('pointerenter'));
    }
    await pause(REST_MS * 2);
    expect(cases.map(({ starts }) => starts())).to.deep.equal([0, 0, 0]);
  });

  it("'visible' starts a cell near the viewport and not one far below it, until it scrolls near", async () => {
    const near = make({ mode: 'visible' });
    const far = make({ mode: 'visible' }, 'margin-top: 400vh');
    const intentOnly = make({ mode: 'intent' });
    // Intersection observers report after a frame or more, later on a busy machine: wait for the
    // start with a deadline, and as long for the starts that must not come.
    const started = async (cell: { starts(): number }) => {
      const deadline = performance.now() + 3000;
      while (cell.starts() === 0 && performance.now() < deadline) await pause(20);
      return cell.starts();
    };
    const waited = performance.now();
    expect(await started(near)).to.equal(1);
    await pause(Math.max(200, performance.now() - waited));
    expect([far.starts(), intentOnly.starts()]).to.deep.equal([0, 0]);
    far.element.scrollIntoView();
    expect(await started(far)).to.equal(1);
    scrollTo(0, 0);
  });

  it("'eager' starts once the page is idle after load, with no interaction", async () => {
    const { starts } = make({ mode: 'eager' });
    const deadline = performance.now() + 5000;
    while (starts() === 0 && performance.now() < deadline) await pause(20);
    expect(starts()).to.be.greaterThan(0);
  });
});
