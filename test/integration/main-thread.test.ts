import { expect } from '@esm-bundle/chai';
import { addCell, outputArea, partText, workerLoads } from './helpers.js';

describe('main-thread mode', () => {
  it('runs with the page as Python’s js module, and shows a DOM node as the last value', async () => {
    const target = document.createElement('p');
    target.id = 'main-target';
    document.body.append(target);
    const cell = addCell(
      'from js import document\ndocument.getElementById("main-target").textContent = "set from Python"\nnode = document.createElement("em")\nnode.textContent = "made in Python"\nnode',
      { 'main-thread': '' },
    );
    const result = await cell.run();
    await cell.updateComplete;
    expect(result.status).to.equal('done');
    expect(target.textContent).to.equal('set from Python');
    const shown = outputArea(cell)!.querySelector('[part="dom"] em');
    expect(shown?.textContent).to.equal('made in Python');
    expect(workerLoads()).to.equal(0);
  });

  it('display() puts DOM nodes into the output, and pycell.canvas is a live canvas', async () => {
    const cell = addCell(
      'import pycell\nfrom js import document\nspan = document.createElement("span")\nspan.textContent = "shown"\npycell.display(span)\nc = pycell.canvas(4, 4)\nctx = c.getContext("2d")\nctx.fillStyle = "rgb(255, 0, 0)"\nctx.fillRect(0, 0, 4, 4)',
      { 'main-thread': '' },
    );
    await cell.run();
    await cell.updateComplete;
    expect(outputArea(cell)!.querySelector('[part="dom"] span')!.textContent).to.equal('shown');
    const canvas = outputArea(cell)!.querySelector('canvas')!;
    expect(Array.from(canvas.getContext('2d')!.getImageData(1, 1, 1, 1).data)).to.deep.equal([255, 0, 0, 255]);
  });

  it('keeps main-thread sessions apart from the worker’s interpreter', async () => {
    const main = addCell('only_here = 1', { 'main-thread': '' });
    await main.run();
    const worker = addCell('only_here');
    const result = await worker.run();
    expect(result.status).to.equal('error');
    expect(partText(worker, 'error')).to.contain("NameError: name 'only_here' is not defined");
    expect(workerLoads()).to.equal(1);
  });
});
