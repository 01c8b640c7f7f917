import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { productImagesDirectory } from './product-images-directory';

const packageDir = join(import.meta.dirname, '..');
const expected = join(packageDir, 'assets', 'product-images');

describe('productImagesDirectory', () => {
  it('is assets/product-images of the package, from this module and from a bundle in dist/ or deeper', () => {
    expect(productImagesDirectory()).toBe(expected);
    expect(existsSync(expected)).toBe(true);
    expect(productImagesDirectory(join(packageDir, 'dist'))).toBe(expected);
    expect(productImagesDirectory(join(packageDir, 'test-output', 'production-build-1'))).toBe(expected);
  });

  it('fails loudly when no package.json is above the module', () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-package-'));
    try {
      mkdirSync(join(dir, 'dist'));
      expect(() => productImagesDirectory(join(dir, 'dist'))).toThrow(/no package\.json above/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
