import { WxPayError } from '../wxpay/errors';

/**
 * The WxPayError that `fn` throws. Fails the calling test when `fn` returns, and rethrows anything
 * that is not a WxPayError (a TypeError there is a bug, not a refusal).
 */
export function errorOf(fn: () => unknown): WxPayError {
  try {
    fn();
  } catch (error) {
    if (error instanceof WxPayError) return error;
    throw error;
  }
  throw new Error('expected a WxPayError, but nothing was thrown');
}

/** The `code` of the WxPayError that `fn` throws, or `NO_ERROR` when it returns. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof WxPayError) return error.code;
    throw error;
  }
  return 'NO_ERROR';
}
