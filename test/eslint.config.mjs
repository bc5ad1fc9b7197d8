// Lint rules in the spirit of VS Code's first-party extensions: typescript-eslint recommended,
// curly braces, strict equality, no floating promises in host code.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    rules: {
      curly: 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-throw-literal': 'error',
      'prefer-const': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/naming-convention': ['warn', { selector: 'class', format: ['PascalCase'] }],
    },
  },
  {
    // esbuild's CommonJS interop copies every property of the vscode API object into a fresh namespace for
    // each module that does `import * as vscode from 'vscode'` (dozens of copies of ~250 properties at
    // activation, measured by npm run bench); `import vscode = require('vscode')` is the plain require.
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
      'no-restricted-syntax': ['error', {
        selector: "ImportDeclaration[source.value='vscode'][importKind='value'] > ImportNamespaceSpecifier",
        message: "Use `import vscode = require('vscode')`: the bundle copies a namespace import of the vscode API once per module.",
      }, {
        // The same copy for Node's built-ins (node:fs has some 100 properties), at load time of the bundle.
        selector: "ImportDeclaration[source.value=/^node:/][importKind='value'] > ImportNamespaceSpecifier",
        message: 'Import the names you use from a Node built-in: the bundle copies every property of a namespace import at load.',
      }],
    },
  },
  {
    // Tests poke at raw JSON responses; typing every one would add noise, not safety.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
