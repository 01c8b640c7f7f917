import { checkoutConfig } from '@checkout/eslint-config';
import reactHooks from 'eslint-plugin-react-hooks';

export default [
  ...checkoutConfig({ tsconfigRootDir: import.meta.dirname }),
  {
    files: ['**/*.tsx', 'src/hooks/**/*.ts', 'test/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // Taro requires default exports from the app, its pages and the config files.
    files: ['src/app.tsx', 'src/app.config.ts', 'src/pages/**/index.tsx', 'src/pages/**/index.config.ts', 'src/subpackages/**/index.tsx', 'src/subpackages/**/index.config.ts', 'config/index.ts', 'test/doubles/taro.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // The mini-program ships to phones: no server-side protocol code, no Node built-ins.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@checkout/protocol/wxpay', message: 'Server-only: the mini-program uses @checkout/protocol/contract.' },
            { name: '@checkout/protocol/testing', message: 'Test-only and Node-only.' },
            { name: 'fast-xml-parser', message: 'Server-only.' },
            { name: 'zod', message: "Import 'zod/mini': the build resolves zod to zod/mini (config/index.ts), classic methods would fail at run time." },
          ],
          patterns: [{ group: ['node:*'], message: 'No Node built-ins in the mini-program.' }],
        },
      ],
    },
  },
  {
    // WeChat APIs reject with plain `{ errMsg }` objects, not Errors; tests reproduce that.
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**/*.ts'],
    rules: { '@typescript-eslint/prefer-promise-reject-errors': 'off', '@typescript-eslint/only-throw-error': 'off' },
  },
];
