#!/usr/bin/env node
// Writes integrations/python/py_cell_docs/attributes.json, the attribute list the Python
// integrations (Sphinx, MkDocs) read, from the one list in cell/attributes.ts. The file is
// committed and shipped in the npm package. `node scripts/gen-attributes.mjs --check` (run by
// `npm run lint`) writes nothing and fails when the file is not what this would write.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import ts from 'typescript';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const SOURCE = 'cell/attributes.ts';
const TARGET = 'integrations/python/py_cell_docs/attributes.json';

// cell/attributes.ts imports nothing: compiled alone, it runs as a module of its own.
const compiled = ts.transpileModule(readFileSync(join(root, SOURCE), 'utf8'), {
  compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
}).outputText;
const { ATTRIBUTE_TABLE } = await import(`data:text/javascript;base64,${Buffer.from(compiled).toString('base64')}`);

const about =
  `Generated from ${SOURCE} by scripts/gen-attributes.mjs: do not edit. py-cell's attributes (fence: whether a ` +
  'fence or directive may set it; kind: flag, bare, empty or its own name, or a kind of values), the rule of each kind ' +
  '(the whole value matches pattern and, if positive, is a finite number above 0), and the global attributes a fence ' +
  'may carry with any value.';
const path = join(root, TARGET);
const text = await prettier.format(JSON.stringify({ about, ...ATTRIBUTE_TABLE }), {
  ...(await prettier.resolveConfig(path)),
  filepath: path,
});

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // missing: out of date
  }
  if (current !== text) {
    console.error(`gen-attributes: ${TARGET} is out of date with ${SOURCE}: run node scripts/gen-attributes.mjs`);
    process.exit(1);
  }
  console.log(`gen-attributes: ${TARGET} matches ${SOURCE}`);
} else {
  writeFileSync(path, text);
  console.log(`gen-attributes: wrote ${TARGET}`);
}
