// Shared flat config: type-aware typescript-eslint rules for every workspace package.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * @param {{ tsconfigRootDir: string, ignores?: string[], defaultExportFiles?: string[] }} options
 * `defaultExportFiles`: globs where a tool requires a default export (Taro pages and configs).
 */
export function checkoutConfig({ tsconfigRootDir, ignores = [], defaultExportFiles = [] }) {
  return tseslint.config(
    { ignores: ['dist/**', 'node_modules/**', 'test-output/**', '.turbo/**', '**/*.js', '**/*.mjs', '**/*.cjs', ...ignores] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: { parserOptions: { projectService: true, tsconfigRootDir } },
      rules: {
        '@typescript-eslint/consistent-type-imports': 'error',
        '@typescript-eslint/no-floating-promises': 'error',
        '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
      },
    },
    {
      // Tool configs (vitest, taro) must default-export.
      files: ['*.config.ts', '**/*.config.ts', ...defaultExportFiles],
      rules: { 'no-restricted-syntax': 'off' },
    },
  );
}
