/**
 * py-cell/docusaurus: a Docusaurus plugin that puts py-cell's files under the site's `baseUrl`
 * (served by `docusaurus start`, copied into the build by `docusaurus build`) and loads the
 * element on every page from there, so that it finds its worker and Python beside it:
 *
 * ```js
 * // docusaurus.config.js
 * import pyCellRemark from 'py-cell/remark';
 * import pyCell from 'py-cell/docusaurus';
 *
 * export default {
 *   baseUrl: '/mysite/',
 *   presets: [['classic', { docs: { remarkPlugins: [[pyCellRemark, { python: true }]] } }]],
 *   plugins: [pyCell],
 * };
 * ```
 *
 * The element is not bundled by webpack: a `<script type="module">` in every page's head loads
 * the package's own build from `<baseUrl><folder>/dist/py-cell.js`. No `configure()` call is
 * needed, and no copy of the worker or Pyodide lands in the site's bundle. Pages Docusaurus's
 * router shows later are React's, and their cells upgrade as they are added.
 */
import { join } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { assetsFolder, copyAssets, serveAssets } from '../../prerender/assets.js';

/** The options of the Docusaurus plugin (`plugins: [[pyCell, { folder: 'assets/py-cell' }]]`). */
export interface PyCellDocusaurusOptions {
  /** The folder under the site's `baseUrl` that holds py-cell's files (default `'py-cell'`). */
  folder?: string;
}

/** The plugin: `plugins: [pyCell]`, or `plugins: [[pyCell, options]]`. */
export default function pyCell(context: LoadContext, options: PyCellDocusaurusOptions = {}): Plugin<void> {
  const folder = assetsFolder('py-cell/docusaurus', options.folder);
  // Docusaurus's baseUrl always starts and ends with '/' (with the locale, for a translation).
  const base = `${context.baseUrl}${folder}/`;
  const serve = serveAssets(() => base);
  return {
    name: 'py-cell',
    injectHtmlTags: () => ({
      headTags: [{ tagName: 'script', attributes: { type: 'module', src: `${base}dist/py-cell.js` } }],
    }),
    configureWebpack: (_config, isServer) => {
      if (isServer) return {};
      // `docusaurus start` serves the files from the package. Its dev server answers every path
      // with the page (a history fallback) before a middleware added at the end, so ours goes
      // first. Docusaurus merges this setting with its own by calling both functions with the
      // same list and joining what they return: ours puts itself at the list's head and adds
      // nothing after it (test/node/docusaurus.test.mjs runs a real `docusaurus start`).
      const devServer = {
        setupMiddlewares: (middlewares: Array<{ name?: string; middleware: typeof serve }>) => {
          if (!middlewares.some((entry) => entry.name === 'py-cell')) middlewares.unshift({ name: 'py-cell', middleware: serve });
          return [];
        },
      };
      return { devServer } as ReturnType<NonNullable<Plugin['configureWebpack']>> & object;
    },
    async postBuild({ outDir }) {
      await copyAssets(join(outDir, folder));
    },
  };
}
