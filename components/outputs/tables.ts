/**
 * Tables in HTML output (pandas' `DataFrame._repr_html_`, `<table border="1" class="dataframe">`,
 * and the like) made readable: subtle borders and a styled header row in both colour schemes,
 * numbers aligned right, tabular figures. Part of the sanitiser's chunk (loaded with it); the
 * style comes first in the output's shadow root, so the output's own styles still win. A wide
 * table scrolls inside its output's frame (`rich-html.ts`, which makes the frame focusable then,
 * so keyboards can scroll it), not the page.
 */

/** Marks cells whose text is a number (`prepareTables`), to align them right. */
export const NUMBER_CLASS = 'py-cell-number';

/** The tables' defaults; the element's colours reach the output's shadow root as inherited custom properties. */
export const TABLE_STYLE = `
table { border-collapse: collapse; border: 0; margin: 0.25em 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--_border, #d0d7de); padding: 0.2em 0.6em; text-align: left; vertical-align: top; }
thead th, thead td { background: var(--_bg, #fbfbfc); font-weight: 600; border-bottom-width: 2px; }
tbody th { font-weight: 600; }
th, .${NUMBER_CLASS} { white-space: nowrap; }
.${NUMBER_CLASS} { text-align: right; }
`;

/** A number as Python, NumPy and pandas print them: a sign, thousands separators, decimals, an exponent, a percent sign. */
const NUMBER = /^[-+\u2212]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?%?$/;
/** What a float column may hold besides numbers. */
const NOT_FINITE = /^[-+]?(?:nan|inf(?:inity)?)$/i;

/**
 * Prepares `root`'s tables: cells whose text is a number are marked (aligned right), and an empty
 * header cell (pandas' top-left corner) is presentational, not a header without a name. One
 * pass over the cells, which the markup limits bound (at most 10,000 elements).
 */
export function prepareTables(root: ParentNode): void {
  for (const cell of root.querySelectorAll('td, th')) {
    const text = cell.textContent.trim();
    if (text.length <= 64 && (NUMBER.test(text) || NOT_FINITE.test(text))) cell.classList.add(NUMBER_CLASS);
    else if (text === '' && cell.localName === 'th' && cell.childElementCount === 0 && !cell.hasAttribute('role'))
      cell.setAttribute('role', 'presentation');
  }
}
