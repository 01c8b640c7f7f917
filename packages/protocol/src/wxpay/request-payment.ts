import { WxPaySignatureError, WxPayValidationError } from './errors';
import { requireNonceStr, requirePattern, requireText } from './field-rules';
import { isSignType, signV2, verifyV2WithType, type SignType } from './v2-sign';

/** What the mini-program passes to `wx.requestPayment` (appId is implied by the mini-program). */
export interface RequestPaymentParams {
  /** Unix time in seconds, as a string of 10 digits. */
  timeStamp: string;
  nonceStr: string;
  /** `prepay_id=…` */
  package: string;
  /** Must equal the sign type the order was placed with. */
  signType: SignType;
  paySign: string;
}

export interface RequestPaymentInput {
  appId: string;
  prepayId: string;
  /** The sign type used for the unifiedorder call that returned `prepayId`. */
  signType: SignType;
  apiKey: string;
  /** Unix seconds (not milliseconds). */
  timestampSeconds: number;
  nonceStr: string;
}

const TIMESTAMP_RE = /^[0-9]{10}$/;
/** prepay_id values are short ASCII tokens (wx2017033010242291fcfe0db70013231072). */
const PREPAY_ID_RE = /^[\x21-\x7e]{1,64}$/;
const PACKAGE_PREFIX = 'prepay_id=';

function signedFields(appId: string, p: Omit<RequestPaymentParams, 'paySign'>): Record<string, string> {
  // These exact names (capital I in appId) are what the WeChat client signs.
  return { appId, timeStamp: p.timeStamp, nonceStr: p.nonceStr, package: p.package, signType: p.signType };
}

/**
 * Builds the `wx.requestPayment` parameters. `paySign` is a fresh v2 signature over appId,
 * timeStamp, nonceStr, package and signType: never the unifiedorder response's `sign`.
 */
export function buildRequestPayment(input: RequestPaymentInput): RequestPaymentParams {
  const appId = requireText(input.appId, 'appId', 32);
  const prepayId = requirePattern(input.prepayId, 'prepayId', PREPAY_ID_RE, 'a prepay_id');
  const nonceStr = requireNonceStr(input.nonceStr, 'nonceStr');
  if (!isSignType(input.signType)) {
    throw new WxPayValidationError('FIELD_INVALID', 'signType', `signType ${JSON.stringify(input.signType)} is not MD5 or HMAC-SHA256`);
  }
  const ts = input.timestampSeconds;
  if (!Number.isSafeInteger(ts) || ts < 1_000_000_000 || ts > 9_999_999_999) {
    throw new WxPayValidationError(
      'FIELD_INVALID',
      'timeStamp',
      `timestampSeconds ${String(ts)} is not Unix seconds${ts > 9_999_999_999 ? ' (milliseconds?)' : ''}`,
    );
  }
  const unsigned = { timeStamp: String(ts), nonceStr, package: `${PACKAGE_PREFIX}${prepayId}`, signType: input.signType };
  return { ...unsigned, paySign: signV2(signedFields(appId, unsigned), input.apiKey, input.signType) };
}

/**
 * What the WeChat client checks before showing the cashier (used by the emulator): string fields,
 * a 10-digit seconds `timeStamp`, a `prepay_id=` package, a known signType (equal to the order's
 * when `signType` is given) and a valid paySign for `appId`. Throws `WxPayValidationError` or
 * `WxPaySignatureError`.
 */
export function verifyRequestPayment(
  params: { readonly [K in keyof RequestPaymentParams]?: unknown },
  options: { appId: string; apiKey: string; signType?: SignType },
): void {
  if (typeof params !== 'object' || params === null) {
    throw new WxPayValidationError('FIELD_MISSING', 'params', 'requestPayment params are missing');
  }
  const timeStamp = requireText(params.timeStamp, 'timeStamp', 64);
  if (!TIMESTAMP_RE.test(timeStamp)) {
    throw new WxPayValidationError('FIELD_INVALID', 'timeStamp', `timeStamp ${JSON.stringify(timeStamp)} is not 10 digits of Unix seconds`);
  }
  const nonceStr = requireNonceStr(params.nonceStr, 'nonceStr');
  const pkg = requireText(params.package, 'package', 128);
  if (!pkg.startsWith(PACKAGE_PREFIX) || !PREPAY_ID_RE.test(pkg.slice(PACKAGE_PREFIX.length))) {
    throw new WxPayValidationError('FIELD_INVALID', 'package', `package ${JSON.stringify(pkg)} is not prepay_id=…`);
  }
  const signType = params.signType;
  if (!isSignType(signType)) {
    throw new WxPayValidationError('FIELD_INVALID', 'signType', `signType ${JSON.stringify(signType)} is not MD5 or HMAC-SHA256`);
  }
  if (options.signType !== undefined && signType !== options.signType) {
    throw new WxPaySignatureError(
      'SIGN_TYPE_MISMATCH',
      `signType ${signType} differs from the order's sign type ${options.signType}`,
    );
  }
  const fields = signedFields(options.appId, { timeStamp, nonceStr, package: pkg, signType });
  verifyV2WithType(fields, params.paySign, options.apiKey, signType, 'paySign');
}
