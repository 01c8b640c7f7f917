import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRODUCT_IMAGE_FILE_NAME } from '../product-image-path';

export interface ProductImageFile {
  body: Buffer;
  /** Strong validator: a hash of the content, so a changed drawing is refetched after max-age. */
  etag: string;
}

/** File name → content: the only images the route can answer with. */
export type ProductImageFiles = ReadonlyMap<string, ProductImageFile>;

/**
 * Reads the folder once at start-up: requests never touch the file system, and only files whose
 * names match the strict pattern are served (anything else in the folder is ignored).
 */
export function loadProductImageFiles(directory: string): ProductImageFiles {
  const files = new Map<string, ProductImageFile>();
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (!entry.isFile() || !PRODUCT_IMAGE_FILE_NAME.test(entry.name)) continue;
    const body = readFileSync(join(directory, entry.name));
    files.set(entry.name, { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
  }
  return files;
}
