// The Sphinx site (test/sites/sphinx/) with pydata-sphinx-theme, Debian's
// python3-pydata-sphinx-theme (0.7, a light-only release: its cells stay light).
import { buildSphinx } from './sphinx.mjs';

export default (options) =>
  buildSphinx({
    ...options,
    name: 'sphinx-pydata',
    theme: 'pydata_sphinx_theme',
    hint: 'apt-get install python3-sphinx python3-pydata-sphinx-theme',
  });
