// The Sphinx site (test/sites/sphinx/) with Furo, Debian's furo, as its users set it
// (html_theme = 'furo'): its own light/dark toggle, its fonts and code colours.
import { buildSphinx } from './sphinx.mjs';

export default (options) => buildSphinx({ ...options, name: 'sphinx-furo', theme: 'furo', hint: 'apt-get install python3-sphinx furo' });
