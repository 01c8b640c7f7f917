import { describe, expect, it } from 'vitest';
import { resolveImageUrl } from './resolve-image-url';

describe('resolveImageUrl', () => {
  it('puts a BFF path behind the API base of the build', () => {
    expect(resolveImageUrl('/images/products/kettle.svg', 'https://bff.example.com')).toBe('https://bff.example.com/images/products/kettle.svg');
    expect(resolveImageUrl('/images/products/kettle.svg', 'https://shop.example.com/bff')).toBe('https://shop.example.com/bff/images/products/kettle.svg');
    // H5: the API base is the page's own origin.
    expect(resolveImageUrl('/images/products/kettle.svg', '')).toBe('/images/products/kettle.svg');
  });

  it('keeps absolute http(s) URLs as they are', () => {
    expect(resolveImageUrl('https://cdn.example.com/a.png', 'https://bff.example.com')).toBe('https://cdn.example.com/a.png');
    expect(resolveImageUrl('HTTP://cdn.example.com/a.png', '')).toBe('HTTP://cdn.example.com/a.png');
  });

  it('gives null (the placeholder) for no URL and for anything it cannot place', () => {
    expect(resolveImageUrl(null, 'https://bff.example.com')).toBeNull();
    expect(resolveImageUrl('', 'https://bff.example.com')).toBeNull();
    expect(resolveImageUrl('//cdn.example.com/a.png', 'https://bff.example.com')).toBeNull();
    expect(resolveImageUrl('images/kettle.svg', 'https://bff.example.com')).toBeNull();
    expect(resolveImageUrl('data:image/svg+xml,<svg/>', 'https://bff.example.com')).toBeNull();
    expect(resolveImageUrl('javascript:alert(1)', '')).toBeNull();
  });
});
