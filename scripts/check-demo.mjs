#!/usr/bin/env node
// Opens every demo page in headless Chromium, runs every cell, prints what each one shows, and
// times the cold boot to the first output. Usage: node scripts/check-demo.mjs [base URL]
// [--screenshot file.png] (the server must be running: npm start).
import { launchChromium } from './chromium.mjs';

// A URL ending in .html checks that page only; otherwise it is the demo's base URL.
const arg = process.argv[2]?.startsWith('http') ? process.argv[2] : 'http://localhost:8000/demo/';
const base = arg.endsWith('.html') ? arg.slice(0, arg.lastIndexOf('/') + 1) : arg;
const shotIndex = process.argv.indexOf('--screenshot');
const screenshot = shotIndex > 0 ? process.argv[shotIndex + 1] : null;
const allPages = [
  'index.html',
  'basics.html',
  'sessions.html',
  'isolated.html',
  'errors.html',
  'autorun.html',
  'special-characters.html',
  'outputs.html',
  'lesson.html',
];
const pages = arg.endsWith('.html') ? [arg.slice(arg.lastIndexOf('/') + 1)] : allPages;

const browser = await launchChromium();
let failures = 0;
try {
  for (const name of pages) {
    const page = await browser.newPage();
    page.on('pageerror', (error) => {
      failures++;
      console.log(`  page error: ${error.message}`);
    });
    await page.goto(new URL(name, base).href);
    const firstOutputMs = await page.evaluate(async () => {
      await customElements.whenDefined('py-cell');
      // input() is answered as a reader would: a line, then Enter.
      document.addEventListener('py-cell-input', (event) => {
        const field = event.target.shadowRoot.querySelector('[part="input"]');
        field.value = 'Ada';
        field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
      });
      const cells = [...document.querySelectorAll('py-cell')];
      const start = performance.now();
      const first = cells[0];
      await first.run();
      const elapsed = performance.now() - start;
      for (const cell of cells.slice(1)) await cell.run();
      // Exercises: checked too (the verdict shows in part feedback).
      for (const cell of cells.filter((cell) => cell.exercise)) await cell.check();
      return elapsed;
    });
    const cells = await page.evaluate(() =>
      [...document.querySelectorAll('py-cell')].map((cell) => ({
        status: cell.status,
        output: [cell.shadowRoot.querySelector('[part="feedback"]'), cell.shadowRoot.querySelector('[part="output"]')]
          .map((part) => part?.innerText.trim() ?? '')
          .filter(Boolean)
          .join(' | '),
      })),
    );
    console.log(`${name}: first cell done ${Math.round(firstOutputMs)} ms after Run (cold boot included on the first page)`);
    for (const [i, cell] of cells.entries()) {
      console.log(`  [${i + 1}] ${cell.status}: ${cell.output.replace(/\n/g, ' | ').slice(0, 160)}`);
      // A cell left loading or running hangs; idle is an exercise that refused to run (blanks).
      if (cell.status === 'loading' || cell.status === 'running') failures++;
    }
    if (screenshot && name === 'index.html') await page.screenshot({ path: screenshot });
    await page.close();
  }
} finally {
  await browser.close();
}
if (failures) {
  console.log(`${failures} problem(s)`);
  process.exit(1);
}
