import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from 'koa';
import type { EmulatorDeps } from '../emulator-deps';
import type { EmulatorEndpoint } from '../emulator-types';
import { applyPreFaults, dropConnection } from '../faults/fault-responses';
import { accessTokenParam, type WxApiError } from '../rules/access-token-rules';
import { newRequestId } from '../state/ids';
import { readJsonBody } from './read-body';

/** WeChat's errmsg strings end with a request id, e.g. `invalid credential, … rid: 6571…`. */
export function withRid(error: WxApiError): WxApiError {
  return { errcode: error.errcode, errmsg: `${error.errmsg} rid: ${newRequestId().slice(0, 8)}-${newRequestId().slice(0, 8)}-${newRequestId().slice(0, 8)}` };
}

export const TOKEN_ERRORS: Readonly<Record<41001 | 40001 | 42001, string>> = {
  41001: 'access_token missing',
  40001: 'invalid credential, access_token is invalid or not latest',
  42001: 'access_token expired',
};

/** The JSON body of a WeChat API call; a body that is not a JSON object reads as `{}` (then fails field checks). */
export async function jsonBodyOrEmpty(ctx: Context, deps: EmulatorDeps): Promise<{ ok: true; value: unknown } | { ok: false; error: WxApiError }> {
  const raw = await readJsonBody(ctx.req, deps.bodyLimitBytes);
  if (raw.ok) return { ok: true, value: raw.value };
  if (raw.reason === 'not-json') return { ok: true, value: {} };
  // 45002 content size out of limit; an aborted body (the client is gone) reads as empty post data (44002).
  return { ok: false, error: raw.reason === 'too-large' ? { errcode: 45002, errmsg: 'content size out of limit' } : { errcode: 44002, errmsg: 'empty post data' } };
}

/** Checks the `access_token` query parameter: 41001 missing, 40001 invalid or replaced, 42001 expired. */
export function checkAccessToken(ctx: Context, deps: EmulatorDeps): { ok: true; appId: string } | { ok: false; error: WxApiError } {
  const value = accessTokenParam(ctx.query);
  if (value === undefined) return { ok: false, error: { errcode: 41001, errmsg: TOKEN_ERRORS[41001] } };
  const check = deps.tokens.check(value);
  if (check.ok) return check;
  return { ok: false, error: { errcode: check.errcode, errmsg: TOKEN_ERRORS[check.errcode] } };
}

/**
 * Serves one api.weixin.qq.com JSON endpoint with the endpoint's faults: latency, injected HTTP
 * status, `errcode -1` system errors, answers held back, dropped connections. Non-POST gets 43002
 * (require POST method) unless `methods` allows it. Answers are always HTTP 200 JSON.
 */
export function wxJsonEndpoint(deps: EmulatorDeps, endpoint: EmulatorEndpoint, handle: (ctx: Context) => Promise<object> | object, methods: readonly string[] = ['POST']) {
  return async (ctx: Context): Promise<void> => {
    const plan = deps.faults.take(endpoint);
    if (await applyPreFaults(ctx, plan)) return;
    let answer: object;
    if (plan.systemError) answer = { errcode: -1, errmsg: 'system error' };
    else if (!methods.includes(ctx.method)) answer = withRid({ errcode: 43002, errmsg: 'require POST method' });
    else answer = await handle(ctx);
    const errcode = 'errcode' in answer && typeof answer.errcode === 'number' ? answer.errcode : 0;
    deps.log({ msg: endpoint, errcode });
    if (plan.answerDelayMs > 0) await sleep(plan.answerDelayMs);
    if (plan.dropConnection) {
      dropConnection(ctx);
      return;
    }
    ctx.status = 200;
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = JSON.stringify(answer);
  };
}
