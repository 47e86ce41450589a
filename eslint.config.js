// `npm run lint`: ESLint with typescript-eslint's type-checked rules and eslint-plugin-lit on
// the sources and tests; lit-analyzer checks the templates and Prettier the formatting (see the
// `lint` script).
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import tseslint from 'typescript-eslint';

/** What a worker or the engine must never reach for: the page's DOM. */
const DOM_GLOBALS = ['document', 'window', 'Node', 'Element', 'HTMLElement', 'HTMLCanvasElement', 'customElements'].map((name) => ({
  name,
  message: 'runtime/ talks to Python and never touches the DOM; main-thread mode passes what needs the page through the host.',
}));

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
    files: ['runtime/**/*.ts'],
    ignores: ['runtime/main-thread.ts', 'runtime/bridge-main.ts', 'runtime/index.ts'],
    rules: { 'no-restricted-globals': ['error', ...DOM_GLOBALS] },
  },
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
