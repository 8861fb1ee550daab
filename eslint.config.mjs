// ESLint flat config: TypeScript sources, tests, the example, the Jest mock and node scripts.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'lib/**',
      'node_modules/**',
      'coverage/**',
      'rust/**',
      'cpp/**',
      'target/**',
      'android/**',
      'ios/**',
      // The example app's native projects, dependencies and build outputs.
      'example/android/**',
      'example/ios/**',
      'example/vendor/**',
      'example/coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', 'example/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-empty-object-type': [
        'error',
        { allowInterfaces: 'with-single-extends' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['jest/**/*.js', '*.config.js', 'babel.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.jest } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', '*.mjs'],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },
  {
    files: ['__tests__/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The example app (React Native): its CommonJS config files and Jest tests and mocks.
    files: ['example/*.config.js', 'example/__mocks__/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.jest } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['example/src/**/*.{ts,tsx}', 'example/index.js'],
    languageOptions: { globals: { ...globals.es2021, ...globals.browser } },
  },
  {
    files: ['example/__tests__/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['tests/hermes/**/*.ts', 'example/demo.ts'],
    languageOptions: {
      globals: {
        ...globals.es2021,
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  }
);
