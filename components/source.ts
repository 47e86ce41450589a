/** Reading a cell's Python source out of the page's markup. */

/**
 * Removes the indentation common to every non-blank line, and leading and trailing blank lines,
 * so code can be indented to match the surrounding HTML. Tabs and spaces count as written: a
 * prefix is common only when it is the same characters on every line.
 */
export function dedent(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  let prefix: string | null = null;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (prefix === null) {
      prefix = indent;
    } else {
      let i = 0;
      while (i < prefix.length && i < indent.length && prefix[i] === indent[i]) i++;
      prefix = prefix.slice(0, i);
    }
    if (prefix === '') break;
  }
  const cut = prefix?.length ?? 0;
  return lines.map((line) => (line.trim() === '' ? '' : line.slice(cut))).join('\n');
}

/**
 * The source of a `<py-cell>`: its first child `<script type="text/x-python">` (raw text, so
 * `<` and `&` need no escaping; write `<\/script>` for a `</script>` inside the code, the usual
 * convention, and it is read back as `</script>`), else its own text content; dedented.
 */
export function readSource(host: Element): string {
  for (const child of Array.from(host.children)) {
    if (child.localName === 'script' && /^text\/(x-)?python$/i.test(child.getAttribute('type') ?? '')) {
      return dedent(child.textContent.replace(/<\\\/(script)/gi, '</$1'));
    }
  }
  return dedent(host.textContent);
}
