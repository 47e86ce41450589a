// The Astro Starlight test site (scripts/sites/starlight.mjs builds it): the remark plugin writes
// the cells in `.md` pages, the Vite plugin serves and emits py-cell under the site's base, which
// is the deep path the test server shows the built site at, so the base is honoured or nothing
// runs; the element is loaded by a script in an overridden Starlight component, which Astro
// bundles with Vite. The cells are prerendered: their outputs are in the built pages.
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import pyCellRemark from 'py-cell/remark';
import pyCell from 'py-cell/vite';

export default defineConfig({
  base: '/test/sites/_build/starlight/',
  outDir: '../_build/starlight',
  trailingSlash: 'always',
  markdown: { remarkPlugins: [[pyCellRemark, { python: true, prerender: true }]] },
  integrations: [
    starlight({
      title: 'py-cell with Starlight',
      components: { Head: './src/components/Head.astro' },
      sidebar: [{ label: 'Pages', autogenerate: { directory: '.' } }],
    }),
  ],
  vite: { plugins: [pyCell()] },
});
