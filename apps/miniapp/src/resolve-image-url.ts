/**
 * Where to load a product's imageUrl from. The BFF stores its own images as paths ("/images/…"),
 * resolved against the API base, which each build already has: the BFF origin in the weapp,
 * '' (same origin, proxied) in H5. Absolute http(s) URLs are used as they are. Anything else
 * (protocol-relative, data:, a bare name) gives null: the placeholder tile, never a broken image.
 */
export function resolveImageUrl(imageUrl: string | null, apiBaseUrl: string): string | null {
  if (!imageUrl) return null;
  if (/^https?:\/\//i.test(imageUrl)) return imageUrl;
  if (imageUrl.startsWith('/') && !imageUrl.startsWith('//')) return `${apiBaseUrl}${imageUrl}`;
  return null;
}
