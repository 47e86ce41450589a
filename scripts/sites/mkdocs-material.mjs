// The MkDocs site with Material for MkDocs (test/sites/mkdocs/material.yml, Debian's
// mkdocs-material): its palette toggle, fonts and code colours.
import { buildMkDocs } from './mkdocs.mjs';

export default (options) =>
  buildMkDocs({
    ...options,
    name: 'mkdocs-material',
    config: 'material.yml',
    hint: 'apt-get install mkdocs mkdocs-material python3-pymdownx',
  });
