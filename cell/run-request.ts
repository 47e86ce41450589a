/**
 * What a Run or a Check of a cell sends to Python, made from the cell's attributes and code; or
 * why nothing is sent (an invalid attribute, an exercise's blanks left to fill in).
 */
import { failure } from '../runtime/shared/errors.js';
import { parsePackageList } from '../runtime/shared/packages.js';
import { isWheelReference } from '../runtime/shared/wheels.js';
import type { PrefetchHints, RunError, RunRequest } from '../runtime/shared/protocol.js';
import { sessionName } from './attributes.js';
import type { ExerciseParts } from './source.js';

/** Six or more underscores mark a blank the learner must fill in. */
const BLANK = /_{6,}/;
const BLANKS_MESSAGE = 'Fill in the blanks (______) first.';

/** Whether `code` still holds a blank to fill in. */
export const hasBlanks = (code: string) => BLANK.test(code);

export interface CellInput {
  code: string;
  /** The `session` and `packages` attributes. */
  session: string | null;
  packages: string | null;
  /** The cell's number in the page, for its file name in tracebacks. */
  number: number;
  /** The exercise's parts, when the cell is one. */
  exercise: ExerciseParts | null;
  /** A Check (runs the exercise's check code) rather than a Run. */
  checking: boolean;
  /** What relative wheel URLs in `packages` resolve against: the page's base URL. */
  base: string;
}

export type Preparation =
  | { request: RunRequest; error?: undefined; blanks?: undefined }
  /** An attribute is invalid: the cell shows `error`. */
  | { error: RunError; request?: undefined; blanks?: undefined }
  /** The exercise still has blanks: nothing runs, the feedback says so. */
  | { blanks: RunError; request?: undefined; error?: undefined };

/** `url` made absolute against `base`; `null` when it is not a URL. */
function resolveURL(url: string, base: string): string | null {
  try {
    return new URL(url, base).href;
  } catch {
    return null;
  }
}

export function prepareRun(cell: CellInput): Preparation {
  const { names, invalid } = parsePackageList(cell.packages);
  // Wheel URLs are relative to the page, which the engine does not know.
  const packages = names.map((name) => (isWheelReference(name) ? resolveURL(name, cell.base) : name));
  if (packages.includes(null)) invalid.push(...names.filter((_, i) => packages[i] === null));
  if (invalid.length > 0) {
    const listed = invalid.map((name) => `'${name}'`).join(', ');
    const message = `Invalid package name${invalid.length > 1 ? 's' : ''} in the packages attribute: ${listed}. Separate names and wheel URLs with spaces or commas.`;
    return { error: failure('attribute', message) };
  }
  const { exercise } = cell;
  if (exercise && hasBlanks(cell.code)) return { blanks: failure('blanks', BLANKS_MESSAGE) };
  // An exercise runs in a namespace of its own, made afresh at every attempt, apart from every
  // session (its session name is only a label: Python does not use it).
  const session = exercise ? { name: `exercise ${cell.number}`, valid: true } : sessionName(cell.session);
  if (!session.valid) console.warn('<py-cell>: the session attribute is empty; using the default session.');
  return {
    request: {
      // A leading byte order mark is not code (Python drops it from files too).
      code: cell.code.replace(/^\uFEFF/, ''),
      session: session.name,
      filename: `<cell ${cell.number}>`,
      packages: packages.filter((name): name is string => name !== null),
      ...(exercise ? { exercise: { setup: exercise.setup, check: cell.checking ? exercise.check : null } } : {}),
    },
  };
}

/** What a cell offers the prefetch. */
export interface CellNeeds {
  code: string;
  /** The `packages` attribute. */
  packages: string | null;
  mainThread: boolean;
}

/**
 * What the page's worker cells will likely need, for the runtime to download while Python
 * starts: the names and wheel URLs (made absolute) of their `packages`, and their code, whose
 * imports the engine finds by a static scan.
 */
export function pageNeeds(cells: Iterable<CellNeeds>, base: string): PrefetchHints {
  const packages = new Set<string>();
  const code: string[] = [];
  for (const cell of cells) {
    if (cell.mainThread) continue;
    for (const name of parsePackageList(cell.packages).names) {
      // A wheel URL that does not resolve is the cell's to report when it runs.
      const entry = isWheelReference(name) ? resolveURL(name, base) : name;
      if (entry) packages.add(entry);
    }
    code.push(cell.code);
  }
  return { packages: [...packages], code };
}
