// `npm run size`: the gzipped size of every script in dist/ against its budget. A file over its
// budget, or a new file without one, fails the check: growing the element or the worker is a
// decision to write down here, with the reason, not something that happens by accident.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** Budgets in KB (1024 bytes), gzipped. Hashed chunk names are matched without their hash. */
const BUDGETS = {
  // What every page with a cell loads: the element, Lit, Prism, the output renderers. 25 -> 26 KB
  // for output validation, the late-output note, the live status region (23.7 -> 25.3). 26 -> 29 KB
  // for teaching: the input field, exercises (check, hints, solution) and persistence (-> 28.4).
  // 29 -> 30 KB for wheel URLs in packages, configure({packages, runEarlier}) and running a
  // named session's earlier cells (-> 29.1). 30 -> 31 KB for preload on intent and the prefetch
  // hints (-> 30.1, after trimming them; gzip moves it by 0.1 KB as code moves between modules).
  // Issue 5 set 30 KB; loading the runtime client lazily (6.3 KB minified) could win it back.
  // 31 -> 32 KB for outputs computed at build time: read, checked (hash, items) and shown (-> 31.0).
  // 32 -> 33 KB for bounds on displays and on stored outputs, array payloads checked against their
  // size, and the element split along its jobs into controllers (issues 21, 25: 31.3 -> 32.1).
  // 33 -> 36.3 KB for ANSI colours in text output (issue 23): the escape-sequence parser (1.5 KB),
  // the 16 colours light and dark, 256-colour and 24-bit colours kept at 4.5:1, drawn without a
  // template per run; wide tables' frames focusable (33.0 -> 36.25). 36.3 -> 38.5 KB (issues 23, 22):
  // the ANSI colours and their drawing now load on the first output with a sequence
  // (py-cell-ansi-text, below; the parser stays, as streams are cut between sequences), but the
  // chart and math elements (1.5 and 0.8 KB as chunks) are in it: a chunk importing Lit from
  // py-cell.js would make it export internal names or split into a facade. Then the site's colour
  // scheme followed, the page's inherited styles reset, the Copy button, copying coloured output as
  // text (issue 22) (-> 38.4). Not back at 33 KB: the next step is loading the runtime client on
  // first run (about 6 KB minified). 38.5 -> 38.8 KB for reading a code block as the source
  // (issue 22: any highlighter's markup, lines as <br> or <div>, gutters left out; 38.4 -> 38.7).
  // 38.8 -> 39 KB for long output drawn in blocks kept between renders (issue 26: the drawing is a
  // chunk, below; the element counts each stream's position and loads it: 38.79 -> 38.97). 39 ->
  // 39.3 KB for first renders spread over tasks, each cell showing its markup until it renders
  // (issue 26: a warm 30-cell page's longest task 110-136 -> 58-98 ms; -> 39.2). 39.3 -> 40.4 KB
  // for the shared runtime's page side (issue 26: 39.2 -> 40.2): kept in the bundle, since a
  // chunk loaded at the first Run would be a request on the next page's path to its output.
  'py-cell.js': 40.4,
  // Renderers loaded the first time a cell shows what they draw (issue 23). The ANSI colours (2.0).
  'py-cell-ansi-text.js': 2.5,
  // Long plain output in blocks of lines that stay between renders, so a flood lays out only
  // what changed (issue 26: 0.6).
  'py-cell-text-blocks.js': 1,
  // KaTeX (77.2 KB), plus its style sheet (dist/katex/katex.css, 4.6 KB gzipped) and the fonts a
  // formula uses (WOFF2, 4 to 28 KB each; a typical formula needs two or three).
  'py-cell-math.js': 80,
  // vega-embed with Vega, Vega-Lite and Vega's expression interpreter (286.9 KB).
  'py-cell-vega.js': 290,
  // plotly.js's own minified bundle (plotly.js-dist-min, 1,460 KB): Plotly's full build, as
  // plotly.py's figures may use any trace type.
  'py-cell-plotly.js': 1475,
  // The engine in its worker, started on the first run. 12.5 -> 13.5 KB for crash detection,
  // output routed by the run that wrote it, the private channel and text checks (12.2 -> 13.1).
  // 13.5 -> 17 KB for standard input (three channels) and exercises, most of it their Python
  // sources (-> 16.4). 17 -> 19 KB for the author's wheels: tags checked, modules read from the
  // wheel's zip directory by ranged requests, failures diagnosed (-> 18.4). 19 -> 20 KB for
  // packages downloaded while Python starts: imports scanned, lock and wheels matched (-> 19.1).
  // 20 -> 21 KB for snapshots with packages (their files written back, marked loaded, left out
  // of the prefetch), py-cell's own modules kept from the snapshot, the warm-up run (-> 19.9).
  // 21 -> 21.5 KB for text alternatives: display(alt=…) and `alt` in a bundle's metadata (issue 23: 20.9 -> 21.3).
  // 21.5 -> 22 KB for runtime files that are not served where py-cell looks naming the fix (issue 22: -> 21.8).
  // 22 -> 22.5 KB for one progress for the start, from the manifest's sizes (issue 22: -> 22.0).
  'py-cell-worker.js': 22.5,
  'py-cell-shared-worker.js': 23.5,
  // The same engine on cross-origin isolated pages, with coincident's synchronous bridge (the
  // prefetch: 23.5 -> 24.5 KB; snapshot packages and the warm-up: -> 25.5 KB, at 24.5). 25.5 ->
  // 26 KB for exercises isolated from other cells (issue 21, finding 7: pristine builtins, the
  // check machinery bound at start-up; 25.0 -> 25.6, the worker 20.3 -> 20.9).
  // 26 -> 26.5 KB for text alternatives, as the worker (issue 23: 25.7 -> 26.1); -> 27 KB for the
  // errors naming the fix, as the worker (issue 22: -> 26.4).
  'py-cell-worker-bridged.js': 27,
  // The engine on the page, for main-thread cells only (the prefetch: 19 -> 20 KB; snapshot
  // packages and the warm-up: -> 21 KB, at 19.8).
  // 21 -> 21.5 KB for text alternatives, as the worker (issue 23: 20.9 -> 21.3); -> 22 KB for the
  // errors naming the fix, as the worker (issue 22: -> 21.7); -> 22.5 KB for one progress for the
  // start, as the worker (issue 22: -> 22.0).
  'py-cell-main-thread.js': 22.5,
  // DOMPurify and marked, loaded on the first HTML, SVG or Markdown output.
  // 27 -> 28 KB for math in Markdown: `$…$`, `$$…$$`, `\\(…\\)` and `\\[…\\]` kept from marked's emphasis and
  // escapes, in searches that stay linear (issue 23: 27.0 -> 27.4).
  'py-cell-sanitize.js': 28,
  // The service worker that answers input() where nothing else can (served by the site, opt-in).
  'py-cell-sw.js': 1,
  // coincident's page side, on cross-origin isolated pages only.
  'py-cell-bridge-main.js': 6,
  // The Markdown plugins, run by the docs tool in Node, not by pages (not minified). 4 -> 5 KB
  // (markdown-it.js) and 6 -> 7 KB (remark.js) for the one attribute list (cell/attributes.ts,
  // bundled into each) and checking values as the Python integrations do (3.9 -> 4.8, 5.5 -> 6.5).
  // 5 -> 5.5 KB (markdown-it.js) and 7 -> 7.5 KB (remark.js) for refusing main-thread, trusted and
  // style unless the site allows them, each refusal saying why and how (issue 21: 4.8 -> 5.4, 6.5 -> 7.1).
  // 5.5 -> 6 KB for the learner's code written through the site's own fence renderer (issue 22: -> 5.7).
  // 6 -> 8.5 KB for its prerender option (a child Node process run synchronously, the outputs
  // written for Vue, the settings and failOnError shared with remark.js: issue 22, 5.7 -> 7.9).
  'markdown-it.js': 8.5,
  // remark.js 5 -> 6 KB for its prerender option (stored outputs as hast children, -> 5.5).
  // 7.5 -> 8 KB for the prerender option in MDX (stored outputs as MDX nodes, one run per page
  // for a process: issue 22, 7.2 -> 7.8). 8 -> 8.5 KB for the prerender's failOnError (naming
  // each cell that raised, its line and the exception: issue 22, -> 8.1). Build-time only.
  // 8.5 -> 9 KB for the outputs cache between builds (issue 22, 8.1 -> 8.6).
  'remark.js': 9,
  // The Vite plugin, run by Vite in Node (issue 22: 2.3 KB, 1.7 KB once its middleware moved to assets.ts).
  'vite.js': 2.5,
  // py-cell prerender, run in Node at build time (not minified; parse5 is bundled in prerender.js,
  // whose HTML-to-text for readers without JavaScript took it to 80.5 KB).
  // 84 -> 86 KB and 34 -> 35 KB when prerender began sharing the element's cell layer (run request,
  // output assembly, stored-output bounds) and the engine's message tables (issue 25: 84.8, 34.2).
  // 86 -> 89.5 KB for ANSI escapes stripped from the text for readers without JavaScript and kept
  // whole where a stream is cut (cell/ansi.ts, bundled with its comments: issue 23, 86.0 -> 89.5).
  // 89.5 -> 91 KB for charts' and images' text alternatives in the text for readers without
  // JavaScript, and the Python of display(alt=…) (issue 23: 89.5 -> 90.2).
  // 91 -> 93.5 KB for --jobs and --incremental (prerender/inputs.ts, bundled with its comments:
  // issue 26, 90.2 -> 92.9). 93.5 -> 94 KB for the outputs cache the Markdown plugins use (issue 22, -> 93.6).
  'prerender.js': 94,
  // 35 -> 36 KB: the Python of display(alt=…) (issue 23: 35.5).
  // 36 -> 37 KB: one progress for the start, and the Node loader's cache in the runtime folder (issue 22: 36.6).
  'prerender-engine.js': 37,
  'prerender-worker.js': 2,
  // The process each page's interpreter runs in, under Node's permission model (issue 21: 0.9 KB).
  'prerender-sandbox.js': 1,
  // 3 -> 4 KB for `py-cell assets` (issue 22: 2.0 -> 3.5).
  'prerender-cli.js': 4,
  // The list of served files, shared by `py-cell assets` and the Vite and Docusaurus plugins;
  // 2 -> 3 KB when it took their shared folder option and development middleware (issue 22: 2.4).
  'prerender-assets.js': 3,
  // The Docusaurus plugin, run by Docusaurus in Node (issue 22: 1.2 KB; the rest is in prerender-assets.js).
  'docusaurus.js': 1.5,
};

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let failed = false;
for (const file of readdirSync('dist')
  .filter((name) => name.endsWith('.js'))
  .sort()) {
  const name = file.replace(/-[A-Za-z0-9_-]{8}\.js$/, '.js');
  const size = gzipSync(readFileSync(`dist/${file}`)).length;
  const budget = BUDGETS[name];
  if (budget === undefined) {
    console.error(`size: dist/${file} (${kb(size)} gzipped) has no budget in scripts/check-size.mjs`);
    failed = true;
  } else if (size > budget * 1024) {
    console.error(`size: dist/${file} is ${kb(size)} gzipped, over its budget of ${budget} KB`);
    failed = true;
  } else {
    console.log(`size: dist/${file} ${kb(size)} gzipped (budget ${budget} KB)`);
  }
}
process.exit(failed ? 1 : 0);
