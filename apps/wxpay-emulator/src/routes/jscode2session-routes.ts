import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from '@koa/router';
import { LOGIN_CODE_LIFETIME_SECONDS } from '@checkout/protocol/wxpay';
import type { EmulatorDeps } from '../emulator-deps';
import { newLoginCode, newOpenid, newRequestId, newSessionKey } from '../state/ids';
import { wxJsonEndpoint } from './wx-json-endpoint';

export const LOGIN_CODE_TTL_MS = LOGIN_CODE_LIFETIME_SECONDS * 1000;

/** WeChat's errmsg strings end with a request id, e.g. `invalid code, rid: 6571…`. */
function errorBody(errcode: number, errmsg: string): { errcode: number; errmsg: string } {
  return { errcode, errmsg: `${errmsg}, rid: ${newRequestId().slice(0, 24)}` };
}

/** Past this many stored codes, used and expired ones are dropped (a long-running dev emulator). */
const MAX_STORED_CODES = 10_000;

export function issueLoginCode(deps: EmulatorDeps, input: { appId?: string; openid?: string } = {}): string {
  const code = newLoginCode();
  if (deps.store.loginCodes.size >= MAX_STORED_CODES) {
    const nowMs = deps.clock.nowMs();
    for (const [key, login] of deps.store.loginCodes) if (login.used || login.expiresAtMs <= nowMs) deps.store.loginCodes.delete(key);
  }
  deps.store.loginCodes.set(code, { appId: input.appId, openid: input.openid ?? newOpenid(), expiresAtMs: deps.clock.nowMs() + LOGIN_CODE_TTL_MS, used: false });
  return code;
}

/** Constant-time comparison of the AppSecret (hashing first makes the lengths equal). */
function sameSecret(received: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(received), digest(expected));
}

function exchange(deps: EmulatorDeps, query: Record<string, unknown>): object {
  const param = (name: string): string | undefined => {
    const value = query[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const appId = param('appid');
  const merchant = appId === undefined ? undefined : deps.merchants.byAppId(appId);
  if (merchant === undefined) return errorBody(40013, 'invalid appid');
  const secret = param('secret');
  if (secret === undefined || merchant.appSecret === undefined || !sameSecret(secret, merchant.appSecret)) return errorBody(40125, 'invalid appsecret');
  if (param('grant_type') !== 'authorization_code') return errorBody(40002, 'invalid grant_type');
  const jsCode = param('js_code');
  if (jsCode === undefined) return errorBody(41008, 'missing code');
  if (!deps.loginLimiter.allow(merchant.appId)) return errorBody(45011, 'api minute-quota reach limit  mustslower  retry next minute');
  const login = deps.store.loginCodes.get(jsCode);
  if (login === undefined || (login.appId !== undefined && login.appId !== merchant.appId) || login.expiresAtMs <= deps.clock.nowMs()) {
    return errorBody(40029, 'invalid code');
  }
  if (login.used) return errorBody(40163, 'code been used');
  login.used = true;
  return { session_key: newSessionKey(), openid: login.openid };
}

/** `GET /sns/jscode2session`: wx.login code → openid + session_key, JSON errors `{errcode, errmsg}`. */
export function jscode2sessionRoutes(deps: EmulatorDeps): Router {
  const router = new Router();
  // A GET at WeChat (the query string carries everything); a POST with the same query works too.
  router.all('/sns/jscode2session', wxJsonEndpoint(deps, 'jscode2session', (ctx) => exchange(deps, ctx.query), ['GET', 'POST']));
  return router;
}
