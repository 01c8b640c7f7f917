import { sign, verify, type KeyObject } from 'node:crypto';
import { isBase64 } from './base64';
import { WxPaySignatureError, WxPayValidationError } from './errors';
import { toPrivateKey, toPublicKey, type KeyLike } from './v3-keys';

export const V3_AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

/** The request/response clock skew WeChat Pay tolerates, in seconds. */
export const V3_MAX_SKEW_SECONDS = 300;

/**
 * Bytes the v3 signature covers: each part followed by `\n`. The body is used as raw bytes, so a
 * Buffer is signed exactly as received (re-encoding a parsed body would break signatures).
 */
export function v3SignedMessage(parts: readonly string[], body: string | Buffer): Buffer {
  const head = parts.map((part) => `${part}\n`).join('');
  return Buffer.concat([Buffer.from(head, 'utf8'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), Buffer.from('\n')]);
}

// Header values are quoted and the message is newline-separated: these characters would let a
// value break out of its slot, so they are refused on both sides.
const headerValuePattern = /^[^"\\,\s]+$/;
const methodPattern = /^[A-Z]+$/;

function assertHeaderValue(field: string, value: string): void {
  if (!headerValuePattern.test(value)) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} must be non-empty without quotes, commas, backslashes or whitespace`);
  }
}

function assertTimestamp(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} must be a non-negative integer of Unix seconds, got ${String(value)}`);
  }
}

function assertRequestTarget(method: string, pathWithQuery: string): void {
  if (!methodPattern.test(method)) {
    throw new WxPayValidationError('FIELD_INVALID', 'method', `method must be an upper-case HTTP method, got ${JSON.stringify(method)}`);
  }
  // The canonical URL is the absolute path plus query, never scheme/host, never a newline.
  if (!pathWithQuery.startsWith('/') || /[\s]/.test(pathWithQuery)) {
    throw new WxPayValidationError('FIELD_INVALID', 'pathWithQuery', `pathWithQuery must start with / and contain no whitespace, got ${JSON.stringify(pathWithQuery)}`);
  }
}

export interface SignV3MessageInput {
  timestampSeconds: number;
  nonce: string;
  body: string | Buffer;
  privateKey: KeyLike;
}

/** SHA256withRSA over `timestamp\nnonce\nbody\n` (the `Wechatpay-Signature` of a response or notification), base64. */
export function signV3Message({ timestampSeconds, nonce, body, privateKey }: SignV3MessageInput): string {
  assertTimestamp('timestampSeconds', timestampSeconds);
  assertHeaderValue('nonce', nonce);
  return sign('sha256', v3SignedMessage([String(timestampSeconds), nonce], body), toPrivateKey(privateKey)).toString('base64');
}

export interface V3AuthorizationInput {
  method: string;
  /** Absolute path with query string, e.g. `/v3/gov/subsidy/transactions/sync`. */
  pathWithQuery: string;
  /** The exact body bytes that will be sent; `''` for GET. */
  body: string | Buffer;
  mchId: string;
  /** Serial number of the merchant API certificate. */
  serialNo: string;
  privateKey: KeyLike;
  timestampSeconds: number;
  nonce: string;
}

/** The `Authorization` header of a v3 request. */
export function buildV3Authorization(input: V3AuthorizationInput): string {
  const { method, pathWithQuery, body, mchId, serialNo, privateKey, timestampSeconds, nonce } = input;
  assertRequestTarget(method, pathWithQuery);
  assertTimestamp('timestampSeconds', timestampSeconds);
  assertHeaderValue('nonce', nonce);
  assertHeaderValue('mchId', mchId);
  assertHeaderValue('serialNo', serialNo);
  const message = v3SignedMessage([method, pathWithQuery, String(timestampSeconds), nonce], body);
  const signature = sign('sha256', message, toPrivateKey(privateKey)).toString('base64');
  return (
    `${V3_AUTH_SCHEMA} mchid="${mchId}",nonce_str="${nonce}",signature="${signature}",` +
    `timestamp="${timestampSeconds}",serial_no="${serialNo}"`
  );
}

export interface V3Authorization {
  mchId: string;
  nonce: string;
  signature: string;
  timestampSeconds: number;
  serialNo: string;
}

const authParamNames = { mchid: 'mchId', nonce_str: 'nonce', signature: 'signature', timestamp: 'timestamp', serial_no: 'serialNo' } as const;
type AuthParamName = keyof typeof authParamNames;
const isAuthParamName = (name: string): name is AuthParamName => Object.hasOwn(authParamNames, name);

/**
 * Parses `WECHATPAY2-SHA256-RSA2048 k="v",…` in any parameter order. Fails closed: every one of
 * the five parameters exactly once, nothing else.
 */
export function parseV3Authorization(header: string | null | undefined): V3Authorization {
  if (header === undefined || header === null || header.trim() === '') {
    throw new WxPaySignatureError('SIGN_MISSING', 'Authorization header is missing');
  }
  const prefix = `${V3_AUTH_SCHEMA} `;
  if (!header.startsWith(prefix)) {
    throw new WxPaySignatureError('SIGN_INVALID', `Authorization scheme must be ${V3_AUTH_SCHEMA}`);
  }
  const values = new Map<AuthParamName, string>();
  for (const part of header.slice(prefix.length).split(',')) {
    const match = /^\s*([a-z_]+)="([^"]*)"\s*$/.exec(part);
    if (!match) throw new WxPaySignatureError('SIGN_INVALID', 'Authorization parameters must be name="value" pairs');
    const [, name = '', value = ''] = match;
    if (!isAuthParamName(name)) throw new WxPaySignatureError('SIGN_INVALID', `Authorization has unknown parameter ${name}`);
    if (values.has(name)) throw new WxPaySignatureError('SIGN_INVALID', `Authorization repeats parameter ${name}`);
    if (value === '') throw new WxPaySignatureError('SIGN_INVALID', `Authorization parameter ${name} is empty`);
    values.set(name, value);
  }
  const missing = Object.keys(authParamNames).filter((name) => !values.has(name as AuthParamName));
  if (missing.length > 0) throw new WxPaySignatureError('SIGN_INVALID', `Authorization lacks ${missing.join(', ')}`);
  const timestamp = values.get('timestamp') ?? '';
  if (!/^(?:0|[1-9]\d{0,11})$/.test(timestamp)) throw new WxPaySignatureError('SIGN_INVALID', `Authorization timestamp ${JSON.stringify(timestamp)} is not Unix seconds`);
  const nonce = values.get('nonce_str') ?? '';
  if (!headerValuePattern.test(nonce)) throw new WxPaySignatureError('SIGN_INVALID', 'Authorization nonce_str contains whitespace or a backslash');
  return {
    mchId: values.get('mchid') ?? '',
    nonce,
    signature: values.get('signature') ?? '',
    timestampSeconds: Number(timestamp),
    serialNo: values.get('serial_no') ?? '',
  };
}

/**
 * Throws SIGN_TIMESTAMP_SKEW unless |now − timestamp| ≤ maxSkewSeconds. Written as a negated `≤`
 * so that a NaN (a broken injected clock, a bad option) fails closed instead of passing.
 */
export function assertV3Fresh(timestampSeconds: number, nowSeconds: number, maxSkewSeconds: number): void {
  if (!(Math.abs(nowSeconds - timestampSeconds) <= maxSkewSeconds)) {
    throw new WxPaySignatureError(
      'SIGN_TIMESTAMP_SKEW',
      `v3 timestamp ${timestampSeconds} is more than ${maxSkewSeconds}s from now (${nowSeconds})`,
    );
  }
}

/** SHA256withRSA check of a base64 signature; malformed signatures are SIGN_INVALID, never a crash. */
export function verifyV3Signature(message: Buffer, signatureBase64: string, publicKey: KeyObject, what: string): void {
  let ok = false;
  if (isBase64(signatureBase64)) {
    try {
      ok = verify('sha256', message, publicKey, Buffer.from(signatureBase64, 'base64'));
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new WxPaySignatureError('SIGN_INVALID', `${what} signature does not verify`);
}

export interface VerifyV3RequestInput {
  method: string;
  pathWithQuery: string;
  /** Raw request body bytes as received. */
  body: string | Buffer;
  authorization: string | null | undefined;
  /** The merchant's public key (from its API certificate). */
  publicKey: KeyLike;
  nowSeconds: number;
  maxSkewSeconds?: number;
}

/**
 * WeChat Pay's check of a merchant request (used by the emulator). Returns the parsed header so
 * the caller can match `mchId` and `serialNo` against the merchant it knows.
 */
export function verifyV3Request(input: VerifyV3RequestInput): V3Authorization {
  const { method, pathWithQuery, body, authorization, nowSeconds, maxSkewSeconds = V3_MAX_SKEW_SECONDS } = input;
  const publicKey = toPublicKey(input.publicKey);
  const auth = parseV3Authorization(authorization);
  assertV3Fresh(auth.timestampSeconds, nowSeconds, maxSkewSeconds);
  const message = v3SignedMessage([method.toUpperCase(), pathWithQuery, String(auth.timestampSeconds), auth.nonce], body);
  verifyV3Signature(message, auth.signature, publicKey, 'Authorization');
  return auth;
}
