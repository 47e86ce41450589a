/**
 * A chart's spec and its text: what a chart bundle holds (Vega-Lite, Vega, Plotly JSON, as a
 * string from Python or an object from a stored page) and the words a reader gets instead of the
 * picture (its title and description), for screen readers and for readers without JavaScript.
 */
import { chartLibrary } from '../runtime/shared/mime.js';

/** A chart spec: a JSON object. */
export type ChartSpec = Record<string, unknown>;

/** The spec in a bundle's data (a JSON string or an object), or why there is none. */
export function chartSpec(data: unknown): { spec: ChartSpec } | { problem: string } {
  let value = data;
  if (typeof data === 'string') {
    try {
      value = JSON.parse(data);
    } catch (error) {
      return { problem: `its spec is not JSON (${(error as Error).message})` };
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? { spec: value as ChartSpec }
    : { problem: 'its spec is not a JSON object' };
}

/** A title as Vega and Plotly write it: a string, lines, or `{ text }`. */
function titleText(title: unknown): string {
  if (typeof title === 'string') return title;
  if (Array.isArray(title)) return title.filter((line) => typeof line === 'string').join(' ');
  if (title && typeof title === 'object' && 'text' in title) return titleText(title.text);
  return '';
}

/** Words for a chart: "Chart: <title>. <description>", or `null` when it has neither. Each part at most 500 characters. */
export function chartText(mime: string, data: unknown): string | null {
  const library = chartLibrary(mime);
  const parsed = chartSpec(data);
  if (!library || !('spec' in parsed)) return null;
  const { spec } = parsed;
  const layout = spec.layout && typeof spec.layout === 'object' ? (spec.layout as ChartSpec) : {};
  const title = (library === 'plotly' ? titleText(layout.title) : titleText(spec.title)).trim().slice(0, 500);
  const description = library === 'plotly' ? '' : typeof spec.description === 'string' ? spec.description.trim().slice(0, 500) : '';
  const words = [title, description].filter(Boolean).join('. ');
  return words ? `Chart: ${words}` : null;
}
