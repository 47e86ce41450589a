/**
 * Editing commands of the code editor as pure functions of the text and selection, so they are
 * unit-tested without a DOM. Each returns the replacement to make and the selection after it.
 */

export const INDENT = '    ';

export interface Edit {
  /** Replace `value.slice(from, to)` ... */
  from: number;
  to: number;
  /** ... with this text ... */
  insert: string;
  /** ... and select this range afterwards. */
  selectionStart: number;
  selectionEnd: number;
}

function lineStart(value: string, index: number): number {
  return value.lastIndexOf('\n', index - 1) + 1;
}

/** The block of whole lines touched by the selection. */
function selectedLines(value: string, start: number, end: number): { from: number; to: number } {
  // A selection ending right at the start of a line does not include that line.
  const last = end > start && value[end - 1] === '\n' ? end - 1 : end;
  const to = value.indexOf('\n', last);
  return { from: lineStart(value, start), to: to === -1 ? value.length : to };
}

/** Tab: four spaces at the caret, or four more spaces before every selected line. */
export function indent(value: string, start: number, end: number): Edit {
  if (start === end || !value.slice(start, end).includes('\n')) {
    return { from: start, to: end, insert: INDENT, selectionStart: start + INDENT.length, selectionEnd: start + INDENT.length };
  }
  const { from, to } = selectedLines(value, start, end);
  const lines = value.slice(from, to).split('\n');
  const insert = lines.map((line) => INDENT + line).join('\n');
  return { from, to, insert, selectionStart: start + INDENT.length, selectionEnd: end + INDENT.length * lines.length };
}

/** Shift+Tab: up to four leading spaces (or one tab) fewer on every selected line. */
export function outdent(value: string, start: number, end: number): Edit {
  const { from, to } = selectedLines(value, start, end);
  const lines = value.slice(from, to).split('\n');
  let removedBeforeStart = 0;
  let removed = 0;
  const insert = lines
    .map((line, i) => {
      const cut = line.startsWith('\t') ? 1 : /^ {0,4}/.exec(line)![0].length;
      if (i === 0) removedBeforeStart = Math.min(cut, start - from);
      removed += cut;
      return line.slice(cut);
    })
    .join('\n');
  return {
    from,
    to,
    insert,
    selectionStart: start - removedBeforeStart,
    selectionEnd: Math.max(from, end - removed),
  };
}

/** Enter: a new line indented like the current one, one level deeper after a `:`. */
export function newline(value: string, start: number, end: number): Edit {
  const before = value.slice(lineStart(value, start), start);
  let indentation = /^[ \t]*/.exec(before)![0];
  if (/:\s*(#.*)?$/.test(before)) indentation += INDENT;
  const insert = `\n${indentation}`;
  return { from: start, to: end, insert, selectionStart: start + insert.length, selectionEnd: start + insert.length };
}
