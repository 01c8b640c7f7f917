/** Where the BFF serves the product illustrations it ships (assets/product-images/). */
export const PRODUCT_IMAGE_PATH_PREFIX = '/images/products/';

/**
 * A product image's file name: lower-case words and digits joined by hyphens, `.svg`. The route
 * serves nothing else, so no name can climb out of the folder (no dots but the extension, no slashes).
 */
export const PRODUCT_IMAGE_FILE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*\.svg$/;

/** The path a catalog product stores as its imageUrl, relative to the BFF's origin. */
export function productImagePath(fileName: string): string {
  if (!PRODUCT_IMAGE_FILE_NAME.test(fileName)) throw new Error(`not a product image file name: ${fileName}`);
  return `${PRODUCT_IMAGE_PATH_PREFIX}${fileName}`;
}
