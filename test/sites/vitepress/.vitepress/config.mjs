// The VitePress test site (scripts/sites/vitepress.mjs builds it): the Markdown plugin writes the
// cells, the Vite plugin serves and emits py-cell under the site's base, which is the deep path
// the test server shows the built site at, so the base is honoured or nothing runs. The cells
// are prerendered: their outputs are part of what Vue renders, through hydration and navigation.
import { defineConfig } from 'vitepress';
import pyCellMarkdown from 'py-cell/markdown-it';
import pyCell from 'py-cell/vite';

export default defineConfig({
  title: 'py-cell with VitePress',
  base: '/test/sites/_build/vitepress/',
  markdown: { config: (md) => md.use(pyCellMarkdown, { vue: true, python: true, prerender: true }) },
  vue: { template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('py-cell') } } },
  vite: { plugins: [pyCell()] },
  // For the test only: what the page logs, from before Vue hydrates (a hydration mismatch is logged).
  head: [
    [
      'script',
      {},
      "window.__logged = []; for (const k of ['error', 'warn']) { const f = console[k]; console[k] = (...a) => { window.__logged.push(a.map(String).join(' ')); f.apply(console, a); }; }",
    ],
  ],
});
