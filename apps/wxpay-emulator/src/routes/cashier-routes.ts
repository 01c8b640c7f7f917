import { Router } from '@koa/router';
import type { Context } from 'koa';
import { CASHIER_PARAM_NAMES, checkCashier, isCashierAction, runCashier } from '../state/cashier';
import { cashierPage, cashierResultPage } from '../pages/cashier-page';
import type { EmulatorDeps } from '../emulator-deps';
import type { CashierResult } from '../emulator-types';
import { readBody, readJsonBody } from './read-body';

function pickParams(source: (name: string) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of CASHIER_PARAM_NAMES) {
    const value = source(name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Only absolute http(s) URLs are followed back; anything else shows the result page. */
function safeRedirect(value: string | undefined): URL | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function withErrMsg(url: URL, result: CashierResult): string {
  const target = new URL(url);
  target.searchParams.set('errMsg', result.errMsg);
  return target.toString();
}

function firstQuery(ctx: Context, name: string): string | undefined {
  const value = ctx.query[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? value[0] : undefined;
}

/**
 * The cashier: `GET /cashier` (HTML for the H5 build and people), `POST /cashier/submit` (its
 * form) and `POST /cashier/confirm` (JSON for tests and the mini-program's stubs).
 */
export function cashierRoutes(deps: EmulatorDeps): Router {
  const router = new Router();

  router.get('/cashier', (ctx) => {
    const params = pickParams((name) => firstQuery(ctx, name));
    const redirect = safeRedirect(firstQuery(ctx, 'redirect'));
    const check = checkCashier(deps, params);
    ctx.type = 'text/html; charset=utf-8';
    if (!check.ok) {
      ctx.status = 400;
      ctx.body = cashierResultPage(check.result, redirect === undefined ? undefined : withErrMsg(redirect, check.result));
      return;
    }
    ctx.body = cashierPage(check.order, check.merchant, { ...params, ...(redirect === undefined ? {} : { redirect: redirect.toString() }) });
  });

  router.post('/cashier/submit', async (ctx) => {
    const body = await readBody(ctx.req, deps.bodyLimitBytes);
    const form = new URLSearchParams(body.ok ? body.bytes.toString('utf8') : '');
    const params = pickParams((name) => form.get(name) ?? undefined);
    const redirect = safeRedirect(form.get('redirect') ?? undefined);
    const action = form.get('action');
    const { status, result } = runCashier(deps, params, action);
    deps.log({ msg: 'cashier', action, errMsg: result.errMsg });
    if (redirect !== undefined && status === 200) {
      ctx.status = 303;
      ctx.redirect(withErrMsg(redirect, result));
      return;
    }
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = cashierResultPage(result, redirect === undefined ? undefined : withErrMsg(redirect, result));
  });

  router.post('/cashier/confirm', async (ctx) => {
    const body = await readJsonBody(ctx.req, deps.bodyLimitBytes);
    let status: number;
    let result: CashierResult;
    if (!body.ok) {
      status = 400;
      result = { errMsg: 'requestPayment:fail parameter error: body must be JSON', code: 'BODY_INVALID', detail: `request body: ${body.reason}` };
    } else {
      const value = body.value;
      const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
      const { action, ...params } = record;
      ({ status, result } = runCashier(deps, params, action));
      deps.log({ msg: 'cashier', action: isCashierAction(action) ? action : 'invalid', errMsg: result.errMsg });
    }
    ctx.status = status;
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = JSON.stringify(result);
  });

  return router;
}
