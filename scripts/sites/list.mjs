// The test sites, listed once: scripts/build-sites.mjs builds them in this order, each by its
// builder scripts/sites/<name>.mjs, and test/integration/sites.test.ts opens every `docs` one.
// build-sites fails on a file of scripts/sites/ that is neither a site here nor a helper, and on a
// `docs` site that made no page; sites.test.ts fails on a page of a site not listed here.

/**
 * `docs`: a page a docs tool made with py-cell's integration, whose first cell imports the
 * author's library (mylib) and which holds an exercise. `prerender` comes after the docs sites:
 * it prerenders copies of their pages too.
 */
export const SITES = [
  { name: 'local-wheels', docs: false },
  { name: 'markdown-it', docs: true },
  { name: 'remark', docs: true },
  { name: 'mdx', docs: true },
  { name: 'sphinx', docs: true },
  { name: 'sphinx-furo', docs: true },
  { name: 'sphinx-pydata', docs: true },
  { name: 'mkdocs', docs: true },
  { name: 'mkdocs-material', docs: true },
  { name: 'vitepress', docs: true },
  { name: 'docusaurus', docs: true },
  { name: 'starlight', docs: true },
  { name: 'package', docs: false },
  { name: 'prerender', docs: false },
];

/** The other modules of scripts/sites/, which build no site of their own. */
export const HELPERS = ['list', 'golden', 'page'];
