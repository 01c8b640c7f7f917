/** Page paths and their query strings, in one place. */
export const routes = {
  catalog: '/pages/catalog/index',
  cart: '/pages/cart/index',
  /** In a subpackage: the order history. */
  orders: '/subpackages/orders/index',
  /** In a subpackage: order detail and its refunds. */
  order: (orderId: string) => `/subpackages/order/index?orderId=${encodeURIComponent(orderId)}`,
  /** In a subpackage (preloaded from the cart): after the payment sheet closes. */
  result: (orderId: string, errMsg?: string) =>
    `/subpackages/result/index?orderId=${encodeURIComponent(orderId)}${errMsg === undefined ? '' : `&errMsg=${encodeURIComponent(errMsg)}`}`,
} as const;

export interface ResultParams {
  orderId: string | null;
  errMsg: string | null;
}

/**
 * Reads the result page's params. Tolerates a cashier that appended `?errMsg=` to a redirect
 * URL that already had a query (`orderId=abc?errMsg=…`), and values left URL-encoded.
 */
export function parseResultParams(params: Partial<Record<string, string | undefined>>): ResultParams {
  let orderId = decodeParam(params.orderId);
  let errMsg = decodeParam(params.errMsg);
  if (orderId?.includes('?')) {
    const [id, rest = ''] = orderId.split('?', 2) as [string, string?];
    orderId = id;
    const match = /(?:^|&)errMsg=([^&]*)/.exec(rest);
    if (errMsg === null && match?.[1] !== undefined) errMsg = decodeParam(match[1]);
  }
  return { orderId: orderId || null, errMsg: errMsg || null };
}

function decodeParam(value: string | undefined): string | null {
  if (value === undefined) return null;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
