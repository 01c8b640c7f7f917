import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * apps/bff/assets/product-images. This module runs as src/… under tsx and bundled into
 * dist/main.js (or a test's output folder) in production, so the anchor is the nearest
 * package.json above it, never a fixed number of `..`.
 */
export function productImagesDirectory(from: string = import.meta.dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}: cannot find assets/product-images`);
    dir = parent;
  }
  return join(dir, 'assets', 'product-images');
}
