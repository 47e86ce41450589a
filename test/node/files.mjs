// What the Node tests share: a folder's files, as sorted paths with '/' (a helper, not a test).
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Every file under `root`, as paths relative to it with '/', sorted. */
export const files = (root) =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
