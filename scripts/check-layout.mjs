// `npm run lint` (part of it): the floor plan holds. Every top-level folder is on the README's
// module map; every source file of the layers (components/, cell/, runtime/, prerender/,
// integrations/) opens with a comment saying what it is and has at most 350 lines. The import
// directions between the layers are ESLint's job (eslint.config.js, LAYERS).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX_LINES = 350;
const LAYERS = ['components', 'cell', 'runtime', 'prerender', 'integrations'];

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);
const problems = [];

// The README's layout block: a fenced block after the line "Layout (".
const readme = readFileSync('README.md', 'utf8');
const layout = /\nLayout \([\s\S]*?\n```\n([\s\S]*?)\n```/.exec(readme)?.[1];
if (!layout) problems.push('README.md has no "Layout (…)" block with the module map.');
const folders = [...new Set(files.filter((file) => file.includes('/') && !file.startsWith('.')).map((file) => file.split('/')[0]))];
for (const folder of folders) {
  if (layout && !new RegExp(`^${folder}/`, 'm').test(layout)) problems.push(`README.md's module map has no line for ${folder}/.`);
}

for (const file of files) {
  if (!LAYERS.includes(file.split('/')[0]) || !/\.(ts|mjs|js|py)$/.test(file) || file.includes('/tests/')) continue;
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // deleted in the working tree
  }
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_LINES) problems.push(`${file} has ${lines} lines (at most ${MAX_LINES}): split it along its jobs.`);
  const opening = file.endsWith('.py') ? /^(#|"""|''')/ : /^(\/\*|\/\/)/;
  if (text.length > 0 && !opening.test(text)) problems.push(`${file} does not open with a comment saying what it is.`);
}

if (problems.length > 0) {
  console.error(`check-layout:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  process.exit(1);
}
console.log(`check-layout: ${folders.length} folders on the module map; layer files within ${MAX_LINES} lines, each with its purpose.`);
