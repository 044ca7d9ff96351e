// Lint rules: typescript-eslint's recommended set, plus the layer rule of design.md section 6 -
// commands, policies and output never import the AWS SDK (only src/services may); nothing in src/
// imports @cloud-copilot/* (AGPL-3.0 packages kept as test-only dev dependencies: the IAM oracle).
import tseslint from 'typescript-eslint';

const AGPL_ORACLE = { group: ['@cloud-copilot/*'], message: 'AGPL-3.0 test oracle: tests only, never shipped code.' };

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/out/'] },
  ...tseslint.configs.recommended,
  // A later block's rule replaces an earlier one for the same file, so each block lists every pattern.
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [AGPL_ORACLE] }],
    },
  },
  {
    files: ['src/commands/**/*.ts', 'src/policies/**/*.ts', 'src/output/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@aws-sdk/*'], message: 'Only src/services may import the AWS SDK.' }, AGPL_ORACLE] }],
    },
  },
  {
    files: ['src/services/**/*.ts', 'src/policies/**/*.ts', 'src/commands/**/*.ts', 'src/output/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'process', message: 'Only src/cli touches process.' }],
    },
  },
);
