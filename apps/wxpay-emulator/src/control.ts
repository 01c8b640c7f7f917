import { createHash } from 'node:crypto';
import { GOV_SUBSIDY_SENSITIVE_FIELDS, parseWxPayTime } from '@checkout/protocol/wxpay';
import { runCashier } from './state/cashier';
import type { EmulatorDeps } from './emulator-deps';
import type { EmulatorControl, EmulatorRefund, GovSyncRecord, NotificationDelivery, SeedOrderInput, ShippingView } from './emulator-types';
import { isPaid } from './state/order-lifecycle';
import { issueLoginCode } from './routes/jscode2session-routes';
import { billDayStartMs } from './bill/bill-day';
import { EmulatorStore, publicOrder, type OrderRecord } from './state/store';

/** A control call named an order that does not exist. */
export class ControlError extends Error {
  override name = 'ControlError';
  constructor(
    readonly code: 'ORDER_NOT_FOUND' | 'REFUND_NOT_FOUND' | 'MERCHANT_NOT_FOUND' | 'WAIT_TIMEOUT' | 'BAD_REQUEST',
    message: string,
  ) {
    super(message);
  }
}

export interface ControlHooks {
  /** Stops notifications and clears rate limits and faults (reset). */
  onReset(): void;
}

/** The emulator's control handle: the same operations as the `/__emulator/…` HTTP API. */
export function createControl(deps: EmulatorDeps, hooks: ControlHooks): EmulatorControl {
  const find = (outTradeNo: string): OrderRecord => {
    const order = deps.store.findOrderAnyMerchant(outTradeNo);
    if (order === undefined) throw new ControlError('ORDER_NOT_FOUND', `no order with out_trade_no ${outTradeNo}`);
    return order;
  };
  const findRefund = (outRefundNo: string): EmulatorRefund => {
    const refund = deps.store.findRefundAnyMerchant(outRefundNo);
    if (refund === undefined) throw new ControlError('REFUND_NOT_FOUND', `no refund with out_refund_no ${outRefundNo}`);
    return refund;
  };
  const copyRefund = (refund: EmulatorRefund): EmulatorRefund => ({ ...refund });
  const shippingView = (order: OrderRecord): ShippingView => {
    const record = deps.shipping.recordOf(order);
    return {
      transaction_id: order.transactionId ?? '',
      out_trade_no: order.outTradeNo,
      mch_id: order.mchId,
      order_state: deps.shipping.stateOf(order),
      finish_shipping: record?.finished ?? false,
      finish_shipping_count: record === undefined ? 0 : record.finished ? record.rounds : record.rounds - 1,
      ...(record?.confirmedAtMs === undefined ? {} : { confirmed_at: new Date(record.confirmedAtMs).toISOString() }),
      uploads: (record?.uploads ?? []).map((u) => ({
        logistics_type: u.logistics_type,
        delivery_mode: u.delivery_mode,
        ...(u.is_all_delivered === undefined ? {} : { is_all_delivered: u.is_all_delivered }),
        shipping_list: structuredClone(u.shipping_list),
        upload_time: u.upload_time,
        received_at: u.receivedAt,
        reship: u.reship,
      })),
    };
  };
  const copyDeliveries = (list: readonly NotificationDelivery[]): NotificationDelivery[] => list.map((d) => ({ ...d }));

  return {
    reset() {
      hooks.onReset();
      deps.store.reset();
      deps.billFaults.clear();
    },
    advanceClock: (ms) => deps.clock.advance(ms),
    now: () => deps.clock.now(),
    issueLoginCode: (input) => issueLoginCode(deps, input),
    orders: () => [...deps.store.orders.values()].map(publicOrder),
    order(outTradeNo) {
      const order = deps.store.findOrderAnyMerchant(outTradeNo);
      return order === undefined ? undefined : publicOrder(order);
    },
    seedOrder(input: SeedOrderInput) {
      const merchant =
        input.mchId !== undefined
          ? deps.merchants.byMchId(input.mchId)
          : input.appId !== undefined
            ? deps.merchants.byAppId(input.appId)
            : deps.merchants.all()[0];
      if (merchant === undefined) throw new ControlError('MERCHANT_NOT_FOUND', 'seedOrder: no configured merchant matches mchId/appId');
      return publicOrder(deps.lifecycle.seed(merchant, input));
    },
    cashier: (params, action) => Promise.resolve(runCashier(deps, params, action).result),
    payOrder: (outTradeNo, options) => publicOrder(deps.lifecycle.pay(find(outTradeNo), options)),
    payWithoutNotify: (outTradeNo) => publicOrder(deps.lifecycle.pay(find(outTradeNo), { notify: false })),
    failOrder: (outTradeNo) => publicOrder(deps.lifecycle.fail(find(outTradeNo))),
    closeOrder: (outTradeNo) => publicOrder(deps.lifecycle.close(find(outTradeNo), { force: true })),
    deliveries: () => copyDeliveries(deps.store.deliveries),
    waitForDeliveries(predicate, timeoutMs, minCount = 1) {
      const matching = (): NotificationDelivery[] => deps.store.deliveries.filter(predicate);
      const now = matching();
      if (now.length >= minCount) return Promise.resolve(copyDeliveries(now));
      return new Promise((resolve, reject) => {
        const unsubscribe = deps.store.onDelivery(() => {
          const found = matching();
          if (found.length < minCount) return;
          clearTimeout(timer);
          unsubscribe();
          resolve(copyDeliveries(found));
        });
        const timer = setTimeout(() => {
          unsubscribe();
          reject(new ControlError('WAIT_TIMEOUT', `waitForDeliveries: fewer than ${minCount} matching deliveries after ${timeoutMs} ms (${deps.store.deliveries.length} in total)`));
        }, timeoutMs);
      });
    },
    reports: () => deps.store.reports.map((r) => structuredClone(r)),
    govSyncs: () => deps.store.govSyncs.map((s) => structuredClone(s)),
    setFaults: (endpoint, faults) => deps.faults.set(endpoint, faults),
    clearFaults: (endpoint) => deps.faults.clear(endpoint),
    setNotifyOptions: (options) => deps.notifier.setOptions(options),
    refunds: (outTradeNo) => [...deps.store.refunds.values()].filter((r) => outTradeNo === undefined || r.outTradeNo === outTradeNo).map(copyRefund),
    refund(outRefundNo) {
      const refund = deps.store.findRefundAnyMerchant(outRefundNo);
      return refund === undefined ? undefined : copyRefund(refund);
    },
    portalRefund({ outTradeNo, refundFee, notifyUrl }) {
      const order = find(outTradeNo);
      const merchant = deps.merchants.byMchId(order.mchId);
      if (merchant === undefined) throw new ControlError('MERCHANT_NOT_FOUND', `no merchant ${order.mchId}`);
      // The platform fills in the order amount and makes the refund number itself.
      const { refund } = deps.refunds.request(merchant, order, {
        outRefundNo: '',
        totalFee: order.totalFee,
        refundFee,
        ...(notifyUrl === undefined ? {} : { notifyUrl }),
        signType: 'MD5',
        source: 'VENDOR_PLATFORM',
      });
      return copyRefund(refund);
    },
    holdRefunds: (hold) => deps.refunds.hold(hold),
    settleRefund: (outRefundNo) => copyRefund(deps.refunds.settle(findRefund(outRefundNo))),
    closeRefund: (outRefundNo) => copyRefund(deps.refunds.close(findRefund(outRefundNo))),
    changeRefund: (outRefundNo) => copyRefund(deps.refunds.change(findRefund(outRefundNo))),
    alterBillAmount(outTradeNo, totalFee) {
      if (!Number.isSafeInteger(totalFee) || totalFee < 0) throw new ControlError('BAD_REQUEST', `alterBillAmount: ${totalFee} is not a whole number of fen`);
      const order = find(outTradeNo);
      deps.billFaults.alterAmount(EmulatorStore.orderKey(order.mchId, order.outTradeNo), order.outTradeNo, totalFee);
    },
    corruptBillSummary(billDate) {
      if (billDayStartMs(billDate) === undefined) throw new ControlError('BAD_REQUEST', `corruptBillSummary: ${JSON.stringify(billDate)} is not a real yyyyMMdd date`);
      deps.billFaults.corruptSummary(billDate);
    },
    accessTokens: () => ({ issued: deps.tokens.issued(), tokens: deps.tokens.views() }),
    expireAccessTokens: () => deps.tokens.force('expired'),
    invalidateAccessTokens: () => deps.tokens.force('invalidated'),
    shipping: () => [...deps.store.orders.values()].filter((o) => isPaid(o) && o.transactionId !== undefined).map(shippingView),
    async confirmReceipt(transactionId, options = {}) {
      const order = [...deps.store.orders.values()].find((o) => o.transactionId === transactionId);
      if (order === undefined) throw new ControlError('ORDER_NOT_FOUND', `no order with transaction_id ${transactionId}`);
      // Real pushes (and WxJava) use 1 = manual, 2 = automatic; the doc text says the opposite (UNCONFIRMED).
      const method = options.method === 'auto' ? 2 : 1;
      const record = deps.shipping.confirmReceipt(order, method);
      const at = Math.floor((record.confirmedAtMs ?? deps.clock.nowMs()) / 1000);
      await deps.messagePush.push({
        ToUserName: miniProgramOriginalId(order.appId),
        FromUserName: order.openid,
        Event: 'trade_manage_order_settlement',
        transaction_id: transactionId,
        merchant_id: order.mchId,
        sub_merchant_id: '',
        merchant_trade_no: order.outTradeNo,
        pay_time: order.timeEnd === undefined ? 0 : Math.floor(parseWxPayTime(order.timeEnd).getTime() / 1000),
        msg: '用户已确认收货，货款将结算给商户',
        shipped_time: Math.floor(record.lastUploadTimeMs / 1000),
        confirm_receive_method: method,
        confirm_receive_time: at,
        settlement_time: at,
      });
      return shippingView(order);
    },
    setMessagePush: (target) => deps.messagePush.configure(target),
    setShippingOrderIndexDelay: (ms) => deps.shipping.setIndexDelayMs(ms),
    messagePushes: () => deps.messagePush.deliveries.map((d) => ({ ...d })),
  };
}

/** The mini-program's original id (`gh_…`) the emulator uses as ToUserName: derived from the appid. */
export function miniProgramOriginalId(appId: string): string {
  return `gh_${createHash('sha1').update(appId, 'utf8').digest('hex').slice(0, 12)}`;
}

/** Gov syncs with personal data masked, for the dashboard (the control API returns them whole). */
export function maskedGovSyncs(list: readonly GovSyncRecord[]): GovSyncRecord[] {
  return list.map((s) => {
    const body = { ...s.body };
    for (const name of GOV_SUBSIDY_SENSITIVE_FIELDS) if (body[name] !== undefined) body[name] = '***';
    return { ...s, body };
  });
}
