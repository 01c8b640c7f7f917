import type { Router } from '@koa/router';
import type { ReceiptOutcome, SettlementEvent } from '../../domain/shipping/record-receipt';
import type { AppState } from '../app-state';
import { isMessagePushSigned } from '../message-push-signature';
import { readRawBody } from '../read-raw-body';

export interface MessagePushDeps {
  /** The message-push Token; null = not configured, both routes answer 404. */
  token: string | null;
  limitBytes: number;
  recordReceipt: (event: SettlementEvent) => Promise<ReceiptOutcome>;
}

const PATH = '/wechat/message-push';

/**
 * The mini-program message push (消息推送), plaintext mode with JSON bodies. GET is the console's
 * URL check (echo `echostr` when signed); POST carries events, each signed the same way. Only
 * `trade_manage_order_settlement` changes anything (the order is marked received, as data);
 * every verified push is answered `success` so WeChat does not resend it.
 */
export function messagePushRoutes(router: Router<AppState>, deps: MessagePushDeps): void {
  router.get(PATH, (ctx) => {
    if (deps.token === null) return;
    if (!isMessagePushSigned(deps.token, ctx.query)) {
      ctx.state.log.warn({ reason: 'bad_signature' }, 'message push check refused');
      ctx.status = 401;
      ctx.body = 'invalid signature';
      return;
    }
    ctx.type = 'text/plain';
    ctx.body = typeof ctx.query.echostr === 'string' ? ctx.query.echostr : '';
  });

  router.post(PATH, async (ctx) => {
    if (deps.token === null) return;
    if (!isMessagePushSigned(deps.token, ctx.query)) {
      ctx.req.resume();
      ctx.state.log.warn({ reason: 'bad_signature' }, 'message push refused');
      ctx.status = 401;
      ctx.body = 'invalid signature';
      return;
    }
    let event: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(await readRawBody(ctx.req, deps.limitBytes));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('not an object');
      event = parsed as Record<string, unknown>;
    } catch {
      ctx.state.log.warn({ reason: 'malformed' }, 'message push refused');
      ctx.status = 400;
      ctx.body = 'malformed body';
      return;
    }
    ctx.type = 'text/plain';
    if (event.Event !== 'trade_manage_order_settlement') {
      ctx.state.log.info({ event: typeof event.Event === 'string' ? event.Event.slice(0, 64) : null }, 'message push event ignored');
      ctx.body = 'success';
      return;
    }
    const settlement = toSettlementEvent(event);
    if (!settlement) {
      ctx.state.log.warn({ reason: 'malformed_settlement' }, 'message push refused');
      ctx.status = 400;
      ctx.body = 'malformed event';
      return;
    }
    const outcome = await deps.recordReceipt(settlement);
    ctx.state.log.info({ outTradeNo: settlement.merchantTradeNo, outcome }, 'order settlement event');
    ctx.body = 'success';
  });
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null);

/** Unix seconds (number or digits) → Date; 0 or absent → null. */
function unixTime(value: unknown): Date | null {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : null;
}

function toSettlementEvent(event: Record<string, unknown>): SettlementEvent | null {
  const transactionId = text(event.transaction_id);
  const merchantId = text(event.merchant_id);
  const merchantTradeNo = text(event.merchant_trade_no);
  if (!transactionId || !merchantId || !merchantTradeNo) return null;
  const method = typeof event.confirm_receive_method === 'number' ? event.confirm_receive_method : Number(event.confirm_receive_method);
  return {
    transactionId,
    merchantId,
    merchantTradeNo,
    confirmReceiveMethod: Number.isInteger(method) ? method : null,
    confirmReceiveTime: unixTime(event.confirm_receive_time),
    settlementTime: unixTime(event.settlement_time),
  };
}
