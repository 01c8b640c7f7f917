import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { WxPaySignatureError, WxPayValidationError } from './errors';

/** The two v2 algorithms, spelled exactly as WeChat expects them in `sign_type` (`md5` is refused). */
export type SignType = 'MD5' | 'HMAC-SHA256';

export const SIGN_TYPES: readonly SignType[] = ['MD5', 'HMAC-SHA256'];

export function isSignType(value: unknown): value is SignType {
  return value === 'MD5' || value === 'HMAC-SHA256';
}

const UPPER_HEX_RE = /^[0-9A-F]+$/;

/**
 * Sorts by UTF-16 code unit, like the default `sort()`. v2 messages have 10–40 fields, where a
 * plain insertion sort is about twice as fast as the generic sort (signing is on every hot path).
 */
function sortNames(names: string[]): string[] {
  if (names.length > 48) return names.sort();
  for (let i = 1; i < names.length; i++) {
    const name = names[i] as string;
    let j = i - 1;
    while (j >= 0 && (names[j] as string) > name) {
      names[j + 1] = names[j] as string;
      j--;
    }
    names[j + 1] = name;
  }
  return names;
}

/**
 * The v2 canonical string: every non-empty value except `sign`, names sorted by UTF-16 code unit
 * (ASCII order), joined `k=v&…` with raw values. A non-string value is a caller bug when building
 * and a forged or malformed payload when verifying, hence two error classes.
 */
function canonical(fields: Readonly<Record<string, unknown>>, verifying: boolean): string {
  const names = sortNames(Object.keys(fields));
  let out = '';
  for (const name of names) {
    if (name === 'sign') continue;
    const value = fields[name];
    if (typeof value !== 'string') {
      if (verifying) throw new WxPaySignatureError('SIGN_INVALID', `field ${name} is not a string value`, fields);
      throw new WxPayValidationError('FIELD_INVALID', name, `field ${name} must be a string to be signed`);
    }
    if (value === '') continue;
    // Plain `+` builds fewer intermediate strings than a template per pair (measured).
    out = out === '' ? name + '=' + value : out + '&' + name + '=' + value;
  }
  return out;
}

function digest(canonicalString: string, apiKey: string, signType: SignType): string {
  const signed = `${canonicalString}&key=${apiKey}`;
  if (signType === 'MD5') return hash('md5', signed, 'hex').toUpperCase();
  return createHmac('sha256', apiKey).update(signed).digest('hex').toUpperCase();
}

function checkKeyAndType(apiKey: string, signType: SignType): void {
  if (typeof apiKey !== 'string' || apiKey === '') {
    throw new WxPayValidationError('FIELD_MISSING', 'apiKey', 'the APIv2 key is missing');
  }
  if (!isSignType(signType)) {
    throw new WxPayValidationError('FIELD_INVALID', 'sign_type', `sign_type ${JSON.stringify(signType)} is not MD5 or HMAC-SHA256`);
  }
}

/** `canonicalize(fields)`: the string that is signed (without `&key=`). */
export function canonicalize(fields: Readonly<Record<string, string>>): string {
  return canonical(fields, false);
}

/** Upper-case hex v2 signature of `fields` (any `sign` field is ignored). */
export function signV2(fields: Readonly<Record<string, string>>, apiKey: string, signType: SignType): string {
  checkKeyAndType(apiKey, signType);
  return digest(canonical(fields, false), apiKey, signType);
}

/**
 * Copy of `fields` with `sign` set. Does not add `sign_type`: message builders put it in `fields`
 * for HMAC-SHA256 so that it is signed too.
 */
export function withSign(fields: Readonly<Record<string, string>>, apiKey: string, signType: SignType): Record<string, string> {
  return { ...fields, sign: signV2(fields, apiKey, signType) };
}

/** Constant-time check of a received signature; never reveals the expected value. */
function checkSignature(
  canonicalString: string,
  received: string,
  apiKey: string,
  signType: SignType,
  raw: unknown,
): void {
  const expected = digest(canonicalString, apiKey, signType);
  // Both are ASCII hex of the same length (checked by the callers), so the buffers match in size.
  if (!timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(received, 'latin1'))) {
    throw new WxPaySignatureError('SIGN_INVALID', `${signType} signature does not match the signed fields`, raw);
  }
}

function readSign(value: unknown, raw: unknown, name: string): string {
  if (value === undefined) throw new WxPaySignatureError('SIGN_MISSING', `${name} is missing`, raw);
  if (Array.isArray(value)) throw new WxPaySignatureError('SIGN_INVALID', `${name} is repeated`, raw);
  if (typeof value !== 'string') throw new WxPaySignatureError('SIGN_INVALID', `${name} is not a string`, raw);
  if (value === '') throw new WxPaySignatureError('SIGN_MISSING', `${name} is empty`, raw);
  return value;
}

function checkSignFormat(sign: string, raw: unknown, name: string): SignType {
  const signType = sign.length === 32 ? 'MD5' : sign.length === 64 ? 'HMAC-SHA256' : undefined;
  if (signType === undefined) {
    throw new WxPaySignatureError(
      'SIGN_INVALID',
      `${name} has ${sign.length} characters; expected 32 (MD5) or 64 (HMAC-SHA256)`,
      raw,
    );
  }
  if (!UPPER_HEX_RE.test(sign)) throw new WxPaySignatureError('SIGN_INVALID', `${name} is not upper-case hex`, raw);
  return signType;
}

/**
 * Verifies a received v2 payload. The algorithm comes from the signature length (HMAC-signed
 * notifications often omit `sign_type`); a `sign_type` that says otherwise fails. Every field is
 * signed, including ones unknown to us. Returns the algorithm; throws `WxPaySignatureError`.
 */
export function verifyV2(fields: Readonly<Record<string, string>>, apiKey: string): SignType {
  if (typeof fields !== 'object' || fields === null) {
    throw new WxPaySignatureError('SIGN_MISSING', 'no fields to verify');
  }
  const sign = readSign(fields.sign, fields, 'sign');
  const signType = checkSignFormat(sign, fields, 'sign');
  const declared: unknown = fields.sign_type;
  if (declared !== undefined && declared !== '') {
    if (!isSignType(declared)) {
      throw new WxPaySignatureError(
        'SIGN_TYPE_MISMATCH',
        `sign_type ${JSON.stringify(declared)} is not MD5 or HMAC-SHA256`,
        fields,
      );
    }
    if (declared !== signType) {
      throw new WxPaySignatureError(
        'SIGN_TYPE_MISMATCH',
        `sign_type ${declared} contradicts a ${sign.length}-character sign`,
        fields,
      );
    }
  }
  checkKeyAndType(apiKey, signType);
  checkSignature(canonical(fields, true), sign, apiKey, signType, fields);
  return signType;
}

/**
 * Verifies `sign` over `fields` when the algorithm is already known (e.g. wx.requestPayment's
 * `signType`): a signature of the other algorithm's length fails with SIGN_TYPE_MISMATCH.
 * `signName` names the signature in messages (`paySign`).
 */
export function verifyV2WithType(
  fields: Readonly<Record<string, string>>,
  sign: unknown,
  apiKey: string,
  signType: SignType,
  signName = 'sign',
): void {
  checkKeyAndType(apiKey, signType);
  const received = readSign(sign, fields, signName);
  const inferred = checkSignFormat(received, fields, signName);
  if (inferred !== signType) {
    throw new WxPaySignatureError(
      'SIGN_TYPE_MISMATCH',
      `${signName} has ${received.length} characters but signType is ${signType}`,
      fields,
    );
  }
  checkSignature(canonical(fields, true), received, apiKey, signType, fields);
}
