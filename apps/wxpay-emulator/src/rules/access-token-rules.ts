import { createHash, timingSafeEqual } from 'node:crypto';
import type { MerchantRegistry, RegisteredMerchant } from '../state/merchant-registry';

/** A refused token request: WeChat's errcode and errmsg (the route appends ` rid: …`). */
export interface WxApiError {
  errcode: number;
  errmsg: string;
}

export const wxError = (errcode: number, errmsg: string): WxApiError => ({ errcode, errmsg });

/** Constant-time AppSecret comparison (hashing first makes the lengths equal). */
export function sameSecret(received: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(received), digest(expected));
}

export type TokenRequestCheck = { ok: true; merchant: RegisteredMerchant; forceRefresh: boolean } | { ok: false; error: WxApiError };

/**
 * The credentials of `POST /cgi-bin/stable_token` (JSON body) and `GET /cgi-bin/token` (query).
 * Order of checks: appid missing 41002 (what a form-encoded stable_token body gets), grant_type
 * 40002, unknown appid 40013, secret missing 41004, wrong secret 40125 (invalid appsecret, as
 * WeChat answers on both token endpoints), force_refresh not a boolean 47001 (stable_token only).
 */
export function checkTokenRequest(merchants: MerchantRegistry, input: Record<string, unknown>, kind: 'stable' | 'basic'): TokenRequestCheck {
  const text = (name: string): string | undefined => {
    const value = input[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const fail = (errcode: number, errmsg: string): TokenRequestCheck => ({ ok: false, error: wxError(errcode, errmsg) });
  const appId = text('appid');
  if (appId === undefined) return fail(41002, 'appid missing');
  if (text('grant_type') !== 'client_credential') return fail(40002, 'invalid grant_type');
  const merchant = merchants.byAppId(appId);
  if (merchant === undefined) return fail(40013, 'invalid appid');
  const secret = text('secret');
  if (secret === undefined) return fail(41004, 'appsecret missing');
  if (merchant.appSecret === undefined || !sameSecret(secret, merchant.appSecret)) return fail(40125, 'invalid appsecret');
  const force = input.force_refresh;
  if (kind === 'stable' && force !== undefined && force !== null && typeof force !== 'boolean') return fail(47001, 'data format error');
  return { ok: true, merchant, forceRefresh: force === true };
}

/** The `access_token` query parameter of an API call: missing is 41001. */
export function accessTokenParam(query: Record<string, unknown>): string | undefined {
  const value = query.access_token;
  return typeof value === 'string' && value !== '' ? value : undefined;
}
