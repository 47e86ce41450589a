// The page around a test site's rendered Markdown: a whole HTML document that loads the element
// from `script` (by default the repository's dist/py-cell.js, by a path relative to the page).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Writes `<out>/<file>` around `body`; returns the file name, as a builder's `page`. */
export function writePage({
  root,
  out,
  title,
  body,
  file = 'index.html',
  script = relative(out, join(root, 'dist/py-cell.js')).split(sep).join('/'),
}) {
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, file),
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<script type="module" src="${script}"></script>
</head>
<body>
<main>
${body.trimEnd()}
</main>
</body>
</html>
`,
  );
  return file;
}
