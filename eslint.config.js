// `npm run lint`: ESLint with typescript-eslint's type-checked rules and eslint-plugin-lit on
// the sources and tests; lit-analyzer checks the templates and Prettier the formatting (see the
// `lint` script).
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import tseslint from 'typescript-eslint';

/** What the runtime and the cell layer must never reach for: the page's DOM. */
const DOM_GLOBALS = ['document', 'window', 'Node', 'Element', 'HTMLElement', 'HTMLCanvasElement', 'customElements'].map((name) => ({
  name,
  message:
    'runtime/ and cell/ never touch the DOM: the element (components/) does; main-thread mode passes what needs the page through the host.',
}));

/**
 * The directions imports may take (docs/decisions/0013-one-house.md). Each entry forbids, for the
 * files it names, imports whose path matches `regex`; `message` says why and where to go instead.
 */
const forbid = (regex, message) => ({ regex, message });
const RUNTIME = forbid(
  '(^|/)(components|cell|prerender|integrations)/',
  'runtime/ is the lowest layer: it imports nothing from the element, the cell layer, the command or the integrations.',
);
const LAYERS = [
  { files: ['runtime/*.ts', 'runtime/service-worker/**/*.ts'], patterns: [RUNTIME] },
  {
    files: ['runtime/shared/**/*.ts'],
    patterns: [RUNTIME, forbid('(^|/)(page|engine|service-worker)/', 'runtime/shared/ sits between the two sides and imports neither.')],
  },
  {
    files: ['runtime/page/**/*.ts'],
    patterns: [
      RUNTIME,
      forbid('(^|/)engine/', 'The page side reaches the engine only through messages (shared/protocol.ts), never by import.'),
    ],
  },
  {
    files: ['runtime/engine/**/*.ts'],
    patterns: [
      RUNTIME,
      forbid('(^|/)(page|service-worker)/', 'The engine side does not import the page side; what both need lives in runtime/shared/.'),
    ],
  },
  {
    files: ['cell/**/*.ts'],
    patterns: [
      forbid('(^|/)(components|prerender|integrations)/', 'cell/ is below the element and the command: they import it, never the reverse.'),
      forbid('(^|/)runtime/(?!shared/)', 'cell/ uses only the shared protocol (runtime/shared/), never a side of the runtime.'),
      forbid('^node:', 'cell/ runs in browsers too: no Node modules.'),
    ],
  },
  {
    files: ['components/**/*.ts'],
    patterns: [
      forbid('(^|/)(prerender|integrations)/', 'The element does not import the command or the integrations.'),
      forbid('(^|/)runtime/(?!index\\.js$)', 'The element reaches the runtime through its public face, runtime/index.ts.'),
    ],
  },
  {
    files: ['prerender/**/*.ts'],
    patterns: [
      forbid('(^|/)components/', 'The command does not import the element: what a cell is lives in cell/.'),
      forbid(
        '(^|/)runtime/(?!shared/|engine/)',
        'The command hosts the engine (runtime/engine/) with the shared protocol; it never uses the page side.',
      ),
    ],
  },
  {
    files: ['integrations/markdown/**/*.ts'],
    patterns: [
      forbid(
        '(^|/)(components|runtime|prerender)/',
        'The Markdown plugins run in Node inside the docs tool; of py-cell they use only cell/.',
      ),
    ],
  },
  {
    files: ['integrations/vite/**/*.ts'],
    patterns: [
      forbid(
        '(^|/)(components|runtime|cell)/|(^|/)prerender/(?!assets)',
        'The Vite plugin runs in Node inside the build tool; of py-cell it uses only the list of served files (prerender/assets.ts).',
      ),
    ],
  },
  {
    files: ['integrations/docusaurus/**/*.ts'],
    patterns: [
      forbid(
        '(^|/)(components|runtime|cell)/|(^|/)prerender/(?!assets)',
        'The Docusaurus plugin runs in Node inside the build tool; of py-cell it uses only the served files (prerender/assets.ts).',
      ),
    ],
  },
];

export default tseslint.config(
  // test/types is checked by tsc against the built package (`npm run types`).
  {
    ignores: [
      'dist/',
      'wasm-dist/',
      'node_modules/',
      'bench-results/',
      'demo/_*.html',
      'scripts/_*.mjs',
      'test/types/',
      'test/sites/_build/',
      // What `docusaurus build` and `start` generate in the test site.
      'test/sites/docusaurus/.docusaurus/',
      // What `astro build` generates in the Starlight test site.
      'test/sites/starlight/.astro/',
      // What `vitepress dev` caches in the VitePress test site.
      'test/sites/vitepress/.vitepress/cache/',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.strictTypeChecked, lit.configs['flat/recommended']],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Template literals with numbers read well in messages.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `void promise` marks a deliberately unawaited promise.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidOperator: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // With noUncheckedIndexedAccess, `list[i]!` is how code says an index is known to exist.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['runtime/**/*.ts', 'cell/**/*.ts'],
    // The page side's own hosts, which make the page's Worker or canvases.
    ignores: ['runtime/engine/hosts/main-thread.ts', 'runtime/page/bridge-main.ts', 'runtime/page/registry.ts'],
    rules: { 'no-restricted-globals': ['error', ...DOM_GLOBALS] },
  },
  {
    files: ['cell/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...DOM_GLOBALS,
        { name: 'process', message: 'cell/ runs in browsers too.' },
        { name: 'Buffer', message: 'cell/ runs in browsers too.' },
      ],
    },
  },
  ...LAYERS.map(({ files, patterns }) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } })),
  {
    files: ['test/**/*.ts'],
    rules: {
      // Stand-ins implement async interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      // A test knows what it made fail; a wrong guess fails its assertion anyway.
      '@typescript-eslint/use-unknown-in-catch-callback-variable': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        window: 'readonly',
        document: 'readonly',
        location: 'readonly',
        navigator: 'readonly',
        PerformanceObserver: 'readonly',
        BroadcastChannel: 'readonly',
        customElements: 'readonly',
        crossOriginIsolated: 'readonly',
        KeyboardEvent: 'readonly',
      },
    },
  },
);
