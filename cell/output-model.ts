/** A cell's output items, and how a run's streams, displays and result become them, bounded. */
import type { MimeBundle, RunError, StreamName } from '../runtime/shared/protocol.js';
import { cutBetweenSequences } from './ansi.js';

/** One item in a cell's output area. */
export type OutputItem =
  | { kind: 'stream'; name: StreamName; text: string }
  /** The value of the last expression. */
  | { kind: 'result'; bundle: MimeBundle }
  /** An object shown with `pycell.display()`. */
  | { kind: 'display'; bundle: MimeBundle }
  | { kind: 'error'; error: RunError }
  /** Output left out between the first and the last part of a flood. */
  | { kind: 'hidden'; lines: number; chars: number }
  /** Displayed objects left out after the first `OutputLimits.displays` of a run. */
  | { kind: 'displays-hidden'; count: number }
  /** Output of an earlier run of the cell (or of a task it started), left out of this run's. */
  | { kind: 'left-out' };

/**
 * How much output a cell keeps: of streamed text, the first `head` and the last `tail`
 * characters; of displayed objects, the first `displays`.
 */
export interface OutputLimits {
  head: number;
  tail: number;
  displays: number;
}

export const DEFAULT_LIMITS: OutputLimits = { head: 20_000, tail: 20_000, displays: 1_000 };

/** One thing a run wrote: streamed text, or an object shown with `pycell.display()`. */
export type OutputEvent = { kind: 'stream'; chunks: Array<[StreamName, string]> } | { kind: 'display'; bundle: MimeBundle };

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/**
 * Appends streamed chunks, joining each to the previous item when it is text of the same
 * stream, so a loop of prints renders as one block. Keeps memory bounded: once the streamed
 * text passes `limits.head`, a `hidden` marker follows it and only the last `limits.tail`
 * characters after it are kept; the marker counts what was left out. Returns a new array.
 */
export function appendStream(
  items: OutputItem[],
  chunks: Array<[StreamName, string]>,
  limits: OutputLimits = DEFAULT_LIMITS,
): OutputItem[] {
  const next = items.slice();
  let marker = next.findIndex((item) => item.kind === 'hidden');
  for (const [name, text] of chunks) {
    const last = next[next.length - 1];
    if (last?.kind === 'stream' && last.name === name) next[next.length - 1] = { ...last, text: last.text + text };
    else next.push({ kind: 'stream', name, text });
    if (marker === -1) {
      let total = 0;
      for (const item of next) if (item.kind === 'stream') total += item.text.length;
      if (total <= limits.head) continue;
      // Split the last stream item at the head limit; the rest starts the tail.
      const item = next[next.length - 1] as Extract<OutputItem, { kind: 'stream' }>;
      // Cut before an ANSI escape sequence that would be split, so the tail holds it whole.
      const keep = cutBetweenSequences(item.text, item.text.length - (total - limits.head), 'start');
      next[next.length - 1] = { ...item, text: item.text.slice(0, keep) };
      next.push({ kind: 'hidden', lines: 0, chars: 0 }, { kind: 'stream', name: item.name, text: item.text.slice(keep) });
      marker = next.length - 2;
    }
    // Trim the tail from its start down to the limit, counting what goes into the marker.
    let tail = 0;
    for (let i = marker + 1; i < next.length; i++) {
      const item = next[i]!;
      if (item.kind === 'stream') tail += item.text.length;
    }
    let excess = tail - limits.tail;
    let hidden = next[marker] as Extract<OutputItem, { kind: 'hidden' }>;
    while (excess > 0) {
      const index = next.findIndex((item, i) => i > marker && item.kind === 'stream');
      const item = next[index] as Extract<OutputItem, { kind: 'stream' }>;
      const cut = excess >= item.text.length ? item.text.length : cutBetweenSequences(item.text, excess, 'end');
      const dropped = item.text.slice(0, cut);
      hidden = { kind: 'hidden', lines: hidden.lines + count(dropped, '\n'), chars: hidden.chars + cut };
      if (cut === item.text.length) next.splice(index, 1);
      else next[index] = { ...item, text: item.text.slice(cut) };
      excess -= cut;
    }
    next[marker] = hidden;
  }
  return next;
}

/**
 * Appends an object shown with `pycell.display()`. Past `limits.displays` displayed objects, a
 * `displays-hidden` marker counts the rest instead. Returns a new array.
 */
export function appendDisplay(items: readonly OutputItem[], bundle: MimeBundle, limits: OutputLimits = DEFAULT_LIMITS): OutputItem[] {
  const next = items.slice();
  pushDisplay(next, bundle, limits);
  return next;
}

function pushDisplay(next: OutputItem[], bundle: MimeBundle, limits: OutputLimits): void {
  let shown = 0;
  let marker = -1;
  next.forEach((item, i) => {
    if (item.kind === 'display') shown++;
    else if (item.kind === 'displays-hidden') marker = i;
  });
  if (shown < limits.displays) next.push({ kind: 'display', bundle });
  else if (marker === -1) next.push({ kind: 'displays-hidden', count: 1 });
  else next[marker] = { kind: 'displays-hidden', count: (next[marker] as { count: number }).count + 1 };
}

/** Appends what a run wrote, in order, copying the items once per stream event at most. Returns a new array. */
export function appendOutputs(
  items: readonly OutputItem[],
  events: readonly OutputEvent[],
  limits: OutputLimits = DEFAULT_LIMITS,
): OutputItem[] {
  let next = items.slice();
  for (const event of events) {
    if (event.kind === 'stream') next = appendStream(next, event.chunks, limits);
    else pushDisplay(next, event.bundle, limits);
  }
  return next;
}

/**
 * A run's outputs once it has ended: what it streamed and displayed, then the value of its last
 * expression, then the error it raised. The one order both the element and `py-cell prerender` show.
 */
export function finishOutputs(items: readonly OutputItem[], result: { value?: MimeBundle; error?: RunError }): OutputItem[] {
  const outputs = items.slice();
  if (result.value) outputs.push({ kind: 'result', bundle: result.value });
  if (result.error) outputs.push({ kind: 'error', error: result.error });
  return outputs;
}
