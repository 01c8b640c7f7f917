import { WxPaySignatureError } from './errors';
import { toPublicKey, type KeyLike } from './v3-keys';
import { assertV3Fresh, V3_MAX_SKEW_SECONDS, v3SignedMessage, verifyV3Signature } from './v3-sign';

/** WeChat Pay sends these deliberately wrong signatures to check that merchants really verify. */
export const V3_SIGN_TEST_PREFIX = 'WECHATPAY/SIGNTEST/';

export interface V3ResponseHeaders {
  /** `Wechatpay-Timestamp` */
  timestamp: string | null | undefined;
  /** `Wechatpay-Nonce` */
  nonce: string | null | undefined;
  /** `Wechatpay-Signature` */
  signature: string | null | undefined;
  /** `Wechatpay-Serial`: a platform certificate serial or a `PUB_KEY_ID_…` WeChat Pay public key id. */
  serial: string | null | undefined;
}

export interface VerifyV3ResponseInput {
  headers: V3ResponseHeaders;
  /** The raw body bytes as received, never a re-serialised parse. */
  body: string | Buffer;
  /** Trusted WeChat Pay keys by serial / public key id. */
  publicKeys: ReadonlyMap<string, KeyLike>;
  nowSeconds: number;
  maxSkewSeconds?: number;
}

function required(header: string, value: string | null | undefined): string {
  if (value === undefined || value === null || value === '') {
    throw new WxPaySignatureError('SIGN_MISSING', `${header} header is missing`);
  }
  return value;
}

/**
 * Verifies a v3 response or notification: `timestamp\nnonce\nbody\n` signed with SHA256withRSA by
 * the key named in `Wechatpay-Serial`. Throws `WxPaySignatureError` (SIGN_MISSING, SIGN_TEST_PROBE,
 * SIGN_UNKNOWN_SERIAL, SIGN_TIMESTAMP_SKEW, SIGN_INVALID); returns only when the body is authentic.
 */
export function verifyV3Response(input: VerifyV3ResponseInput): void {
  const { headers, body, publicKeys, nowSeconds, maxSkewSeconds = V3_MAX_SKEW_SECONDS } = input;
  const timestamp = required('Wechatpay-Timestamp', headers.timestamp);
  const nonce = required('Wechatpay-Nonce', headers.nonce);
  const signature = required('Wechatpay-Signature', headers.signature);
  const serial = required('Wechatpay-Serial', headers.serial);

  if (signature.startsWith(V3_SIGN_TEST_PREFIX)) {
    throw new WxPaySignatureError('SIGN_TEST_PROBE', 'Wechatpay-Signature is a WECHATPAY/SIGNTEST/ probe and must not verify');
  }
  const key = publicKeys.get(serial);
  if (key === undefined) {
    throw new WxPaySignatureError('SIGN_UNKNOWN_SERIAL', `Wechatpay-Serial ${JSON.stringify(serial)} is not a known WeChat Pay key`);
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new WxPaySignatureError('SIGN_INVALID', `Wechatpay-Timestamp ${JSON.stringify(timestamp)} is not Unix seconds`);
  }
  // A newline in the nonce would shift the signed message's fields.
  if (/[\r\n]/.test(nonce)) throw new WxPaySignatureError('SIGN_INVALID', 'Wechatpay-Nonce contains a line break');
  assertV3Fresh(Number(timestamp), nowSeconds, maxSkewSeconds);
  // The timestamp is signed as sent (the raw header text), not as re-formatted.
  verifyV3Signature(v3SignedMessage([timestamp, nonce], body), signature, toPublicKey(key), 'Wechatpay-Signature');
}
