import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, productListResponseSchema } from '@checkout/protocol/contract';
import type { TestStack } from '../../../test-support/test-stack';
import { startTestStack } from '../../../test-support/test-stack';

/**
 * A GET with the path and headers sent as given: fetch normalises `..` and some escapes, and
 * adds `Cache-Control: no-cache` to a conditional request (which rules out a 304).
 */
function rawGet(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    const sent = request({ hostname, port, path, method: 'GET', headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('GET /images/products/:file', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it('serves a product illustration as a cacheable, inert SVG', async () => {
    const response = await stack.api('/images/products/fridge-510.svg');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(response.headers.get('etag')).toMatch(/^"[\w-]{22}"$/);
    expect(await response.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it('answers HEAD with the headers and no body, and a matching If-None-Match with 304', async () => {
    const head = await stack.api('/images/products/kettle.svg', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('image/svg+xml');
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');

    const etag = head.headers.get('etag') ?? '';
    const revalidated = await rawGet(stack.bff.url, '/images/products/kettle.svg', { 'if-none-match': etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body).toBe('');
    const otherImage = await rawGet(stack.bff.url, '/images/products/fridge-510.svg', { 'if-none-match': etag });
    expect(otherImage.status).toBe(200);
  });

  it('answers an unknown name with 404 NOT_FOUND in the usual error shape', async () => {
    const response = await stack.api('/images/products/toaster.svg');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(errorBodySchema.parse(await response.json()).error.code).toBe('NOT_FOUND');
  });

  it.each([
    '/images/products/..%2F..%2Fpackage.json',
    '/images/products/..%2F..%2Fassets%2Fproduct-images%2Ffridge-510.svg',
    '/images/products/%2e%2e%2f%2e%2e%2fpackage.json',
    '/images/products/../../package.json',
    '/images/products/..%5C..%5Cpackage.json',
    '/images/products/fridge-510.svg%00.json',
    '/images/products/FRIDGE-510.SVG',
    '/images/products/.fridge-510.svg',
    '/images/products/',
  ])('refuses %s with 404 NOT_FOUND and serves nothing from disk', async (path) => {
    const response = await rawGet(stack.bff.url, path);
    expect(response.status).toBe(404);
    expect(errorBodySchema.parse(JSON.parse(response.body)).error.code).toBe('NOT_FOUND');
  });

  it('serves the image of every product the seeded catalog lists', async () => {
    const { products } = productListResponseSchema.parse(await (await stack.api('/api/products')).json());
    expect(products.length).toBeGreaterThan(0);
    for (const product of products) {
      expect(product.imageUrl, product.id).toMatch(/^\/images\/products\/[a-z0-9-]+\.svg$/);
      const image = await stack.api(product.imageUrl ?? '');
      expect(image.status, product.id).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/svg+xml');
    }
  });
});
