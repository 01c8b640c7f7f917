import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The mini-program bundles this directory: it may import zod and its own files, nothing else.
const dir = new URL('./', import.meta.url);
const sources = readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

describe('contract sources', () => {
  it.each(sources)('%s imports only zod and sibling files', (name) => {
    const text = readFileSync(new URL(name, dir), 'utf8');
    const specifiers = [...text.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? m[2]);
    for (const specifier of specifiers) expect(specifier).toMatch(/^(zod|\.\/[a-z-]+)$/);
  });

  it('found the sources', () => {
    expect(sources).toContain('index.ts');
  });
});
