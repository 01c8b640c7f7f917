import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProductImageFiles } from './product-image-files';

describe('loadProductImageFiles', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps only regular files with a strict product image name, each with a content etag', () => {
    const dir = mkdtempSync(join(tmpdir(), 'product-images-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'fridge-510.svg'), '<svg/>');
    writeFileSync(join(dir, 'copy-of-fridge.svg'), '<svg/>');
    writeFileSync(join(dir, 'other.svg'), '<svg viewBox="0 0 1 1"/>');
    for (const ignored of ['Fridge.svg', 'notes.txt', '.hidden.svg', 'photo.svg.png', 'a--b.svg']) writeFileSync(join(dir, ignored), 'x');
    mkdirSync(join(dir, 'folder.svg'));

    const files = loadProductImageFiles(dir);
    expect([...files.keys()].sort()).toEqual(['copy-of-fridge.svg', 'fridge-510.svg', 'other.svg']);
    expect(files.get('fridge-510.svg')?.body.toString()).toBe('<svg/>');
    // Same content, same validator; other content, another.
    expect(files.get('fridge-510.svg')?.etag).toBe(files.get('copy-of-fridge.svg')?.etag);
    expect(files.get('other.svg')?.etag).not.toBe(files.get('fridge-510.svg')?.etag);
  });
});
