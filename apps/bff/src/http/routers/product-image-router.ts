import type { Router } from '@koa/router';
import type { ErrorBody } from '@checkout/protocol/contract';
import { PRODUCT_IMAGE_PATH_PREFIX } from '../../product-image-path';
import type { AppState } from '../app-state';
import type { ProductImageFiles } from '../product-image-files';

/**
 * GET (and HEAD) /images/products/:file: the catalog's illustrations. Outside /api: no CORS (an
 * <image> needs none) and no public rate limit (a catalog page loads one per product).
 */
export function productImageRoutes(router: Router<AppState>, deps: { files: ProductImageFiles }): void {
  router.get(`${PRODUCT_IMAGE_PATH_PREFIX}:file`, (ctx) => {
    // The router has already decoded the segment (`..%2F` arrives as `../`): only an exact
    // name read at start-up is answered.
    const image = deps.files.get(ctx.params.file ?? '');
    if (!image) {
      ctx.status = 404;
      const body: ErrorBody = { error: { code: 'NOT_FOUND', message: 'no such product image' } };
      ctx.body = body;
      return;
    }
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.set('X-Content-Type-Options', 'nosniff');
    // Opened directly, an SVG is a document: it may not run scripts or load anything.
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    ctx.etag = image.etag;
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'image/svg+xml';
    ctx.body = image.body;
  });
}
