import type { KeyLike } from '../wxpay/v3-keys';
import { signV3Message, V3_AUTH_SCHEMA } from '../wxpay/v3-sign';

export interface SignedV3ResponseOptions {
  /** WeChat Pay's private key (tests: `testKeys.platform.privateKey`). */
  privateKey: KeyLike;
  /** `Wechatpay-Serial`: platform certificate serial or `PUB_KEY_ID_…`. */
  serial: string;
  timestampSeconds: number;
  nonce: string;
}

export interface SignedV3ResponseHeaders {
  'Wechatpay-Timestamp': string;
  'Wechatpay-Nonce': string;
  'Wechatpay-Signature': string;
  'Wechatpay-Serial': string;
  'Wechatpay-Signature-Type': string;
}

export interface SignedV3Response {
  headers: SignedV3ResponseHeaders;
  /** Exactly the bytes that were signed. */
  body: string;
}

/** A v3 response or notification as WeChat Pay signs it. An object body is JSON-serialised once. */
export function buildSignedV3Response(body: string | object, options: SignedV3ResponseOptions): SignedV3Response {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const signature = signV3Message({ timestampSeconds: options.timestampSeconds, nonce: options.nonce, body: text, privateKey: options.privateKey });
  return {
    headers: {
      'Wechatpay-Timestamp': String(options.timestampSeconds),
      'Wechatpay-Nonce': options.nonce,
      'Wechatpay-Signature': signature,
      'Wechatpay-Serial': options.serial,
      'Wechatpay-Signature-Type': V3_AUTH_SCHEMA,
    },
    body: text,
  };
}
