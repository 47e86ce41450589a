// The Docusaurus test site (scripts/sites/docusaurus.mjs builds it) as its users write one: the
// classic preset, the remark plugin writing the cells, and py-cell/docusaurus loading the element
// and putting py-cell's files under the site's baseUrl, which is the deep path the test server
// shows the built site at, so the baseUrl is honoured or nothing runs. The cells are prerendered;
// the site is built in two locales.
import pyCellRemark from 'py-cell/remark';
import pyCell from 'py-cell/docusaurus';

export default {
  title: 'py-cell with Docusaurus',
  url: 'http://localhost',
  baseUrl: '/test/sites/_build/docusaurus/',
  onBrokenLinks: 'throw',
  // Translated: `docusaurus build` builds each locale into its own folder (`fr/`), which gets its
  // own copy of py-cell's files under its own baseUrl.
  i18n: { defaultLocale: 'en', locales: ['en', 'fr'] },
  presets: [
    [
      'classic',
      {
        // prerender: the cells run when the site is built, and their outputs are part of what
        // React renders (they survive hydration and the site's own navigation).
        docs: { routeBasePath: '/', remarkPlugins: [[pyCellRemark, { python: true, prerender: true }]] },
        blog: false,
        pages: false,
      },
    ],
  ],
  plugins: [pyCell],
  themeConfig: {
    navbar: { title: 'py-cell', items: [{ to: '/next', label: 'Next page', position: 'left' }] },
  },
  // For the test only: what the page logs, from before React hydrates (a hydration mismatch is logged).
  headTags: [
    {
      tagName: 'script',
      attributes: {},
      innerHTML:
        "window.__logged = []; for (const k of ['error', 'warn']) { const f = console[k]; console[k] = (...a) => { window.__logged.push(a.map(String).join(' ')); f.apply(console, a); }; }",
    },
  ],
};
