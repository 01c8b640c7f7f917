import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { OUT_TRADE_NO_RE } from '@checkout/protocol/wxpay';
import { ControlError, maskedGovSyncs } from '../control';
import { dashboardPage } from '../pages/dashboard-page';
import type { EmulatorDeps } from '../emulator-deps';
import { EMULATOR_ENDPOINTS, type EmulatorControl, type EmulatorEndpoint } from '../emulator-types';
import { faultSpecSchema } from '../faults/faults';
import { OrderError } from '../state/order-lifecycle';
import { RefundError } from '../state/refund-lifecycle';
import { ShippingError } from '../state/shipping';
import { readJsonBody } from './read-body';

const advanceSchema = z.strictObject({ ms: z.number().int().min(0) });
const loginCodeSchema = z.strictObject({ appId: z.string().min(1).optional(), openid: z.string().min(1).max(128).optional() });
const seedOrderSchema = z.strictObject({
  appId: z.string().optional(),
  mchId: z.string().optional(),
  outTradeNo: z.string().regex(OUT_TRADE_NO_RE),
  totalFee: z.number().int().min(1),
  openid: z.string().optional(),
  notifyUrl: z.string().optional(),
  signType: z.enum(['MD5', 'HMAC-SHA256']).optional(),
  prepayId: z.string().min(1).max(64).optional(),
  body: z.string().optional(),
});
const portalRefundSchema = z.strictObject({
  outTradeNo: z.string().min(1),
  refundFee: z.number().int().min(1),
  notifyUrl: z.url({ protocol: /^https?$/ }).optional(),
});
const confirmReceiptSchema = z.strictObject({ method: z.enum(['manual', 'auto']).optional() });
const messagePushSchema = z.strictObject({ url: z.url({ protocol: /^https?$/ }), token: z.string().regex(/^[A-Za-z0-9]{3,32}$/), verify: z.boolean().optional() });
const shippingOptionsSchema = z.strictObject({ orderIndexDelayMs: z.number().int().min(0).max(24 * 3600 * 1000) });
const holdSchema = z.strictObject({ hold: z.boolean() });
/** coupon_id_$n is String(20). */
const payOptionsSchema = z.strictObject({
  coupons: z.array(z.strictObject({ id: z.string().regex(/^[0-9A-Za-z]{1,20}$/), type: z.enum(['CASH', 'NO_CASH']), fee: z.number().int().min(1) })).max(20).optional(),
});
const billAmountSchema = z.strictObject({ totalFee: z.number().int().min(0) });
const notifyOptionsSchema = z.strictObject({
  duplicates: z.number().int().min(1).max(20).optional(),
  omitSignType: z.boolean().optional(),
  signTest: z.boolean().optional(),
  notifyOnFailure: z.boolean().optional(),
  strictAck: z.boolean().optional(),
});

function json(ctx: Context, status: number, body: unknown): void {
  ctx.status = status;
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = JSON.stringify(body);
}

/** Reads and validates a JSON body; an empty body counts as `{}`. Answers 400 itself on failure. */
async function body<T>(ctx: Context, deps: EmulatorDeps, schema: z.ZodType<T>): Promise<T | undefined> {
  const hasBody = Number(ctx.get('content-length') || '0') > 0 || ctx.get('transfer-encoding') !== '';
  const raw = hasBody ? await readJsonBody(ctx.req, deps.bodyLimitBytes) : { ok: true as const, value: {} };
  if (!raw.ok) {
    json(ctx, 400, { code: 'BAD_REQUEST', message: `body: ${raw.reason}` });
    return undefined;
  }
  const parsed = schema.safeParse(raw.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    json(ctx, 400, { code: 'BAD_REQUEST', message: issue === undefined ? 'invalid body' : `${issue.path.join('.') || 'body'}: ${issue.message}` });
    return undefined;
  }
  return parsed.data;
}

function isEndpoint(value: string): value is EmulatorEndpoint {
  return (EMULATOR_ENDPOINTS as readonly string[]).includes(value);
}

/** Maps control failures to JSON statuses: unknown order or refund 404, refused transition or refund 409. */
function controlErrors() {
  return async (ctx: Context, next: () => Promise<unknown>): Promise<void> => {
    try {
      await next();
    } catch (error) {
      if (error instanceof ControlError) {
        const status = error.code === 'WAIT_TIMEOUT' ? 408 : error.code === 'BAD_REQUEST' ? 400 : 404;
        json(ctx, status, { code: error.code, message: error.message });
      }
      else if (error instanceof OrderError || error instanceof RefundError || error instanceof ShippingError) json(ctx, 409, { code: error.code, message: error.message });
      else if (error instanceof z.ZodError) json(ctx, 400, { code: 'BAD_REQUEST', message: error.message });
      else throw error;
    }
  };
}

/** `/__emulator/…`: JSON control API plus the HTML dashboard. */
export function controlRoutes(deps: EmulatorDeps, control: EmulatorControl): Router {
  const router = new Router({ prefix: '/__emulator' });
  router.use(controlErrors());

  router.get('/', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = dashboardPage();
  });
  router.get('/state', (ctx) => {
    json(ctx, 200, {
      now: control.now().toISOString(),
      orders: control.orders(),
      refunds: control.refunds(),
      refundsHeld: deps.refunds.isHeld(),
      deliveries: control.deliveries().map(({ requestBody: _requestBody, ...rest }) => rest),
      reports: control.reports(),
      govSyncs: maskedGovSyncs(deps.store.govSyncs),
      faults: deps.faults.snapshot(),
      notifyOptions: deps.notifier.currentOptions(),
      billFaults: deps.billFaults.snapshot(),
      accessTokens: control.accessTokens(),
      shipping: control.shipping(),
      messagePush: deps.messagePush.current() ?? null,
      messagePushes: control.messagePushes().map(({ requestBody: _requestBody, ...rest }) => rest),
    });
  });
  router.post('/reset', (ctx) => {
    control.reset();
    json(ctx, 200, { ok: true });
  });
  router.get('/clock', (ctx) => json(ctx, 200, { now: control.now().toISOString() }));
  router.post('/clock/advance', async (ctx) => {
    const input = await body(ctx, deps, advanceSchema);
    if (input !== undefined) json(ctx, 200, { now: control.advanceClock(input.ms).toISOString() });
  });
  router.post('/login-codes', async (ctx) => {
    const input = await body(ctx, deps, loginCodeSchema);
    if (input !== undefined) json(ctx, 200, { code: control.issueLoginCode(input) });
  });
  router.get('/orders', (ctx) => json(ctx, 200, control.orders()));
  router.post('/orders', async (ctx) => {
    const input = await body(ctx, deps, seedOrderSchema);
    if (input !== undefined) json(ctx, 201, control.seedOrder(input));
  });
  router.get('/orders/:outTradeNo', (ctx) => {
    const order = control.order(ctx.params.outTradeNo ?? '');
    if (order === undefined) json(ctx, 404, { code: 'ORDER_NOT_FOUND', message: `no order with out_trade_no ${ctx.params.outTradeNo ?? ''}` });
    else json(ctx, 200, order);
  });
  router.post('/orders/:outTradeNo/pay', async (ctx) => {
    const options = await body(ctx, deps, payOptionsSchema);
    if (options !== undefined) json(ctx, 200, control.payOrder(ctx.params.outTradeNo ?? '', options));
  });
  router.post('/orders/:outTradeNo/fail', (ctx) => json(ctx, 200, control.failOrder(ctx.params.outTradeNo ?? '')));
  router.post('/orders/:outTradeNo/close', (ctx) => json(ctx, 200, control.closeOrder(ctx.params.outTradeNo ?? '')));
  router.post('/orders/:outTradeNo/pay-without-notify', (ctx) => json(ctx, 200, control.payWithoutNotify(ctx.params.outTradeNo ?? '')));
  router.put('/orders/:outTradeNo/bill-amount', async (ctx) => {
    const input = await body(ctx, deps, billAmountSchema);
    if (input === undefined) return;
    control.alterBillAmount(ctx.params.outTradeNo ?? '', input.totalFee);
    json(ctx, 200, deps.billFaults.snapshot());
  });
  router.put('/bills/:billDate/corrupt-summary', (ctx) => {
    control.corruptBillSummary(ctx.params.billDate ?? '');
    json(ctx, 200, deps.billFaults.snapshot());
  });
  router.get('/refunds', (ctx) => {
    const outTradeNo = typeof ctx.query.outTradeNo === 'string' ? ctx.query.outTradeNo : undefined;
    json(ctx, 200, control.refunds(outTradeNo));
  });
  router.post('/refunds', async (ctx) => {
    const input = await body(ctx, deps, portalRefundSchema);
    if (input !== undefined) json(ctx, 201, control.portalRefund(input));
  });
  router.put('/refunds/hold', async (ctx) => {
    const input = await body(ctx, deps, holdSchema);
    if (input === undefined) return;
    control.holdRefunds(input.hold);
    json(ctx, 200, { hold: input.hold });
  });
  router.get('/refunds/:outRefundNo', (ctx) => {
    const refund = control.refund(ctx.params.outRefundNo ?? '');
    if (refund === undefined) json(ctx, 404, { code: 'REFUND_NOT_FOUND', message: `no refund with out_refund_no ${ctx.params.outRefundNo ?? ''}` });
    else json(ctx, 200, refund);
  });
  router.post('/refunds/:outRefundNo/settle', (ctx) => json(ctx, 200, control.settleRefund(ctx.params.outRefundNo ?? '')));
  router.post('/refunds/:outRefundNo/close', (ctx) => json(ctx, 200, control.closeRefund(ctx.params.outRefundNo ?? '')));
  router.post('/refunds/:outRefundNo/change', (ctx) => json(ctx, 200, control.changeRefund(ctx.params.outRefundNo ?? '')));
  router.get('/access-tokens', (ctx) => json(ctx, 200, control.accessTokens()));
  router.post('/access-tokens/expire', (ctx) => json(ctx, 200, { expired: control.expireAccessTokens(), ...control.accessTokens() }));
  router.post('/access-tokens/invalidate', (ctx) => json(ctx, 200, { invalidated: control.invalidateAccessTokens(), ...control.accessTokens() }));
  router.get('/shipping', (ctx) => json(ctx, 200, control.shipping()));
  router.put('/shipping-options', async (ctx) => {
    const input = await body(ctx, deps, shippingOptionsSchema);
    if (input === undefined) return;
    deps.shipping.setIndexDelayMs(input.orderIndexDelayMs);
    json(ctx, 200, deps.shipping.options());
  });
  router.post('/shipping/:transactionId/confirm-receipt', async (ctx) => {
    const input = await body(ctx, deps, confirmReceiptSchema);
    if (input !== undefined) json(ctx, 200, await control.confirmReceipt(ctx.params.transactionId ?? '', input));
  });
  router.post('/message-push', async (ctx) => {
    const input = await body(ctx, deps, messagePushSchema);
    if (input === undefined) return;
    const target = { url: input.url, token: input.token };
    if (input.verify === true) {
      // As on the mini-program admin page: the URL must pass the echostr check before it is saved.
      const check = await deps.messagePush.verify(target);
      if (!check.ok) {
        json(ctx, 422, { code: 'VERIFY_FAILED', message: check.reason });
        return;
      }
    }
    control.setMessagePush(target);
    json(ctx, 200, { url: input.url, verified: input.verify === true });
  });
  router.delete('/message-push', (ctx) => {
    control.setMessagePush(undefined);
    json(ctx, 200, { ok: true });
  });
  router.get('/message-pushes', (ctx) => json(ctx, 200, control.messagePushes()));
  router.get('/deliveries', (ctx) => json(ctx, 200, control.deliveries()));
  router.get('/reports', (ctx) => json(ctx, 200, control.reports()));
  router.get('/gov-syncs', (ctx) => json(ctx, 200, control.govSyncs()));
  router.put('/faults/:endpoint', async (ctx) => {
    const endpoint = ctx.params.endpoint ?? '';
    if (!isEndpoint(endpoint)) {
      json(ctx, 404, { code: 'NOT_FOUND', message: `endpoint must be one of ${EMULATOR_ENDPOINTS.join(', ')}` });
      return;
    }
    const spec = await body(ctx, deps, faultSpecSchema);
    if (spec === undefined) return;
    control.setFaults(endpoint, spec);
    json(ctx, 200, deps.faults.snapshot());
  });
  router.delete('/faults', (ctx) => {
    control.clearFaults();
    json(ctx, 200, deps.faults.snapshot());
  });
  router.delete('/faults/:endpoint', (ctx) => {
    const endpoint = ctx.params.endpoint ?? '';
    if (isEndpoint(endpoint)) control.clearFaults(endpoint);
    json(ctx, 200, deps.faults.snapshot());
  });
  router.put('/notify-options', async (ctx) => {
    const options = await body(ctx, deps, notifyOptionsSchema);
    if (options === undefined) return;
    control.setNotifyOptions(options);
    json(ctx, 200, deps.notifier.currentOptions());
  });
  return router;
}
