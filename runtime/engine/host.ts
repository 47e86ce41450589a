/**
 * What the engine reaches for where it runs (the worker, the page in main-thread mode, a Node
 * thread for the prerender): Pyodide's loader, the network, the page, the reader's languages; and
 * the defaults for what a host leaves out. Tests and other hosts pass their own.
 */
import type { loadPyodide as LoadPyodide } from 'pyodide';
import type { PageHost } from './python-bridge.js';

/** Dependencies the engine reaches for; tests or other hosts may pass their own. */
export interface EngineHost {
  /** Imports Pyodide's loader module from the runtime folder. */
  importPyodide(url: string): Promise<{ loadPyodide: typeof LoadPyodide }>;
  /** The network, for every download of the engine. */
  fetch: typeof fetch;
  /** The page itself, when the engine runs on it (main-thread mode). */
  page?: PageHost;
  /** The page's `document` and `window` when reachable (main thread). */
  pageGlobal?: (name: 'document' | 'window') => unknown;
  /** Connects the synchronous bridge to the page's window; `null` when it cannot work. */
  connectPage?(): Promise<(Window & typeof globalThis) | null>;
  /** The reader's languages, most preferred first (a restored interpreter takes `LANG` from them). */
  languages: readonly string[];
}

/** `host`, with the defaults for what it leaves out: a dynamic import, the global fetch, the navigator's languages. */
export function withDefaults(host: Partial<EngineHost>): EngineHost {
  return {
    importPyodide: (url) => import(/* @vite-ignore */ url),
    fetch: globalThis.fetch.bind(globalThis),
    // Hosts without a navigator (Node) have no language preference.
    languages: typeof navigator === 'undefined' ? [] : navigator.languages,
    ...host,
  };
}
