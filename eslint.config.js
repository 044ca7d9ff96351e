// Lint rules: typescript-eslint's recommended set, plus the layer rule of design.md section 6 -
// commands, policies and output never import the AWS SDK (only src/services may).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/out/'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/commands/**/*.ts', 'src/policies/**/*.ts', 'src/output/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@aws-sdk/*'], message: 'Only src/services may import the AWS SDK.' }] }],
    },
  },
  {
    files: ['src/services/**/*.ts', 'src/policies/**/*.ts', 'src/commands/**/*.ts', 'src/output/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'process', message: 'Only src/cli touches process.' }],
    },
  },
);
