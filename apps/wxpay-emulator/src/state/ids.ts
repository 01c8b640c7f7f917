import { randomBytes, randomInt } from 'node:crypto';
import { formatWxPayTime } from '@checkout/protocol/wxpay';

/** Identifiers shaped like WeChat's, so format checks in clients see realistic values. */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)];
  return out;
}

function randomDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}

/** `wx` + yyyyMMddHHmmss (Beijing) + 20 hex: 36 chars like `wx201410272009395522657a690389285100`. */
export function newPrepayId(now: Date): string {
  return `wx${formatWxPayTime(now)}${randomBytes(10).toString('hex')}`;
}

/** 28 digits: `4200` + 6 random + yyyyMMdd + 10 random. */
export function newTransactionId(now: Date): string {
  return `4200${randomDigits(6)}${formatWxPayTime(now).slice(0, 8)}${randomDigits(10)}`;
}

/** 29 digits like `50000408942018111907145868882`: `50` + 8 random + yyyyMMdd + 11 random. */
export function newRefundId(now: Date): string {
  return `50${randomDigits(8)}${formatWxPayTime(now).slice(0, 8)}${randomDigits(11)}`;
}

export function newNonceStr(): string {
  return randomAlnum(32);
}

/** 28-char openid like `oUpF8uMuAJO_M2pxb1Q9zNjWeS6o`. */
export function newOpenid(): string {
  return `oEmu${randomAlnum(24)}`;
}

/** wx.login codes are 32 chars. */
export function newLoginCode(): string {
  return randomAlnum(32);
}

/** 16 random bytes, base64 (24 chars), like a real session_key. */
export function newSessionKey(): string {
  return randomBytes(16).toString('base64');
}

export function newRequestId(): string {
  return randomBytes(16).toString('hex');
}
