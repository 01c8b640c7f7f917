/**
 * Error classes for the WeChat Pay boundary. One base class; subclasses are named for what the
 * caller can do about them. Messages name the field and the value received, never an expected
 * signature or a key (that would let anyone forge a body).
 */
export class WxPayError extends Error {
  override name = 'WxPayError';
  constructor(
    /** Stable machine-readable code, e.g. SIGN_INVALID or XML_DOCTYPE_FORBIDDEN. */
    readonly code: string,
    message: string,
    /** The parsed payload when there is one, for logs and debugging (never contains our key). */
    readonly raw?: unknown,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The XML cannot be built or parsed. Never retry with the same body. */
export class WxPayXmlError extends WxPayError {
  override name = 'WxPayXmlError';
}

/** A v2 or v3 signature is missing, malformed, wrong, stale or a deliberate probe. */
export class WxPaySignatureError extends WxPayError {
  override name = 'WxPaySignatureError';
}

/** `return_code=FAIL`: the request itself was refused (bad params, signature, merchant). */
export class WxPayReturnError extends WxPayError {
  override name = 'WxPayReturnError';
  constructor(
    readonly returnMsg: string,
    raw?: unknown,
  ) {
    super('RETURN_FAIL', `WeChat Pay return_code=FAIL: ${returnMsg}`, raw);
  }
}

const retryableErrCodes = new Set(['SYSTEMERROR', 'BANKERROR', 'FREQUENCY_LIMITED', 'BIZERR_NEED_RETRY']);

/** `result_code=FAIL`: the business operation failed with `err_code`. */
export class WxPayResultError extends WxPayError {
  override name = 'WxPayResultError';
  constructor(
    readonly errCode: string,
    readonly errCodeDes: string,
    raw?: unknown,
  ) {
    super('RESULT_FAIL', `WeChat Pay result_code=FAIL: err_code=${errCode} (${errCodeDes})`, raw);
  }

  /** SYSTEMERROR and friends (BIZERR_NEED_RETRY on refunds): WeChat asks to retry with identical parameters. */
  get retryable(): boolean {
    return retryableErrCodes.has(this.errCode);
  }
}

/** A field is missing or invalid, or a response names another merchant. */
export class WxPayValidationError extends WxPayError {
  override name = 'WxPayValidationError';
  constructor(
    code: 'FIELD_INVALID' | 'FIELD_MISSING' | 'MERCHANT_MISMATCH',
    readonly field: string,
    message: string,
    raw?: unknown,
  ) {
    super(code, message, raw);
  }
}

/** OAEP or AES-GCM failed (plaintext too long, wrong key, tag mismatch). */
export class WxPayCryptoError extends WxPayError {
  override name = 'WxPayCryptoError';
}

/** Network failure or timeout talking to WeChat Pay. Thrown by gateways, not by this package. */
export class WxPayConnectionError extends WxPayError {
  override name = 'WxPayConnectionError';
  constructor(message: string, options?: ErrorOptions) {
    super('CONNECTION_FAILED', message, undefined, options);
  }
}
