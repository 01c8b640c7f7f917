import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { demoCatalog } from './db/seed-catalog';
import { PRODUCT_IMAGE_FILE_NAME, PRODUCT_IMAGE_PATH_PREFIX } from './product-image-path';
import { productImagesDirectory } from './product-images-directory';

const directory = productImagesDirectory();
const files = readdirSync(directory).sort();

/** Flat vector shapes only: no text (fonts differ per phone), images, links, scripts or foreign content. */
const allowedElements = new Set(['svg', 'g', 'rect', 'circle', 'ellipse', 'path']);

interface Element {
  name: string;
  attributes: Record<string, string>;
}

function elements(node: unknown, into: Element[] = []): Element[] {
  if (Array.isArray(node)) for (const child of node) elements(child, into);
  else if (node && typeof node === 'object') {
    const entries = node as Record<string, unknown>;
    for (const [name, children] of Object.entries(entries)) {
      if (name === ':@' || name === '#text') continue;
      into.push({ name, attributes: (entries[':@'] as Record<string, string> | undefined) ?? {} });
      elements(children, into);
    }
  }
  return into;
}

describe('the product illustrations (assets/product-images)', () => {
  it('has one per demo product and nothing else', () => {
    const used = demoCatalog.map((product) => product.imageUrl?.slice(PRODUCT_IMAGE_PATH_PREFIX.length));
    expect(used.every((name) => name !== undefined && PRODUCT_IMAGE_FILE_NAME.test(name))).toBe(true);
    expect(files).toEqual([...used].sort());
  });

  it.each(files)('%s is a small, square, self-contained vector drawing', (file) => {
    const source = readFileSync(join(directory, file), 'utf8');
    expect(statSync(join(directory, file)).size).toBeLessThanOrEqual(4 * 1024);
    expect(XMLValidator.validate(source)).toBe(true);

    const tree: unknown = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true }).parse(source);
    const all = elements(tree);
    const [root] = all;
    expect(root?.name).toBe('svg');
    expect(root?.attributes).toMatchObject({ xmlns: 'http://www.w3.org/2000/svg', width: '200', height: '200', viewBox: '0 0 200 200' });
    for (const element of all) {
      expect(allowedElements.has(element.name), `<${element.name}>`).toBe(true);
      for (const [name, value] of Object.entries(element.attributes)) {
        expect(name, `${element.name}[${name}]`).not.toMatch(/^on|href$|^style$/i);
        // url(…) would reach outside the drawing (or to an id), which nothing here needs.
        expect(value, `${element.name}[${name}]`).not.toMatch(/url\(|javascript:|data:/i);
      }
    }
  });
});
