import { verifyRequestPayment, WxPaySignatureError, WxPayValidationError } from '@checkout/protocol/wxpay';
import type { EmulatorDeps } from '../emulator-deps';
import type { CashierAction, CashierResult } from '../emulator-types';
import type { RegisteredMerchant } from './merchant-registry';
import { OrderError } from './order-lifecycle';
import type { OrderRecord } from './store';

export const CASHIER_ACTIONS: readonly CashierAction[] = ['pay', 'cancel', 'fail'];

/** What the cashier receives: the five wx.requestPayment fields plus the mini-program's appId. */
export const CASHIER_PARAM_NAMES = ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'] as const;

export type CashierCheck = { ok: true; order: OrderRecord; merchant: RegisteredMerchant } | { ok: false; result: CashierResult };

function refuse(code: string, errMsg: string, detail: string): CashierCheck {
  return { ok: false, result: { errMsg: `requestPayment:fail ${errMsg}`, code, detail } };
}

function typeName(value: unknown): string {
  if (value === null) return 'Null';
  if (value === undefined) return 'Undefined';
  const t = typeof value;
  return t === 'object' ? (Array.isArray(value) ? 'Array' : 'Object') : t.charAt(0).toUpperCase() + t.slice(1);
}

const ORDER_REFUSALS: Readonly<Record<string, { errMsg: string; detail: string }>> = {
  ORDERPAID: { errMsg: '该订单已支付', detail: 'the order is already paid' },
  ORDERCLOSED: { errMsg: '该订单已关闭', detail: 'the order is closed' },
  PREPAY_EXPIRED: { errMsg: 'prepay_id已失效', detail: 'prepay_id is older than 2 hours: place the order again (unifiedorder) for a new one' },
  ORDER_EXPIRED: { errMsg: '订单已过期', detail: 'the order passed its time_expire' },
};

/**
 * The checks the WeChat client (and WeChat Pay behind it) make on `wx.requestPayment` fields
 * before showing the cashier: string types, a 10-digit seconds timeStamp, a known unexpired
 * prepay_id of this appId, signType equal to the order's, and a paySign that verifies.
 */
export function checkCashier(deps: EmulatorDeps, params: unknown): CashierCheck {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    return refuse('PARAM_INVALID', 'parameter error: parameter should be Object', 'pass { appId, timeStamp, nonceStr, package, signType, paySign }');
  }
  const record = params as Record<string, unknown>;
  for (const name of CASHIER_PARAM_NAMES) {
    const value = record[name];
    if (typeof value !== 'string') {
      return refuse(
        name === 'timeStamp' ? 'TIMESTAMP_INVALID' : 'PARAM_INVALID',
        `parameter error: parameter.${name} should be String instead of ${typeName(value)};`,
        `${name} must be a string${name === 'timeStamp' ? ' of Unix seconds, e.g. String(Math.floor(Date.now() / 1000))' : ''}`,
      );
    }
  }
  const appId = record.appId as string;
  const pkg = record.package as string;
  const order = pkg.startsWith('prepay_id=') ? deps.store.ordersByPrepayId.get(pkg.slice('prepay_id='.length)) : undefined;
  // The order's merchant holds the key (one appId may be bound to several mch_ids).
  const merchant = (order === undefined ? undefined : deps.merchants.byMchId(order.mchId)) ?? deps.merchants.byAppId(appId);
  if (merchant === undefined) return refuse('APPID_UNKNOWN', '调用支付JSAPI缺少参数: appId', `appId ${JSON.stringify(appId)} is not a configured mini-program`);
  try {
    verifyRequestPayment(record, { appId, apiKey: merchant.apiKey, signType: order?.signType });
  } catch (error) {
    if (error instanceof WxPayValidationError) {
      return refuse(error.field === 'timeStamp' ? 'TIMESTAMP_INVALID' : 'PARAM_INVALID', `parameter error: ${error.message}`, error.message);
    }
    if (error instanceof WxPaySignatureError) {
      const detail =
        error.code === 'SIGN_TYPE_MISMATCH'
          ? `${error.message}: signType must equal the sign_type used for unifiedorder`
          : `paySign does not verify over appId, timeStamp, nonceStr, package and signType with the APIv2 key (${error.message}); it is not the unifiedorder response's sign`;
      return refuse(error.code === 'SIGN_TYPE_MISMATCH' ? 'SIGN_TYPE_MISMATCH' : 'PAY_SIGN_INVALID', '支付验证签名失败', detail);
    }
    throw error;
  }
  if (order === undefined) return refuse('PREPAY_NOT_FOUND', 'prepay_id无效', `no order has ${pkg}`);
  if (order.appId !== appId) return refuse('APPID_MISMATCH', '支付验证签名失败', `the order was placed for appId ${order.appId}, not ${appId}`);
  try {
    deps.lifecycle.assertPayable(order);
  } catch (error) {
    if (error instanceof OrderError) {
      const refusal = ORDER_REFUSALS[error.code] ?? { errMsg: error.message, detail: error.message };
      return refuse(error.code, refusal.errMsg, refusal.detail);
    }
    throw error;
  }
  return { ok: true, order, merchant };
}

/** The user's choice after a successful check. */
export function completeCashier(deps: EmulatorDeps, order: OrderRecord, action: CashierAction): CashierResult {
  switch (action) {
    case 'pay':
      deps.lifecycle.pay(order);
      return { errMsg: 'requestPayment:ok' };
    case 'cancel':
      return { errMsg: 'requestPayment:fail cancel' };
    case 'fail':
      deps.lifecycle.fail(order);
      return { errMsg: 'requestPayment:fail 支付失败(PAYERROR)', code: 'PAYERROR' };
  }
}

export function isCashierAction(value: unknown): value is CashierAction {
  return typeof value === 'string' && (CASHIER_ACTIONS as readonly string[]).includes(value);
}

/** Check then act; `status` is what the HTTP endpoint answers (400 when the client would refuse). */
export function runCashier(deps: EmulatorDeps, params: unknown, action: unknown): { status: 200 | 400; result: CashierResult } {
  if (!isCashierAction(action)) {
    return { status: 400, result: { errMsg: 'requestPayment:fail parameter error: action', code: 'ACTION_INVALID', detail: 'action must be pay, cancel or fail' } };
  }
  const check = checkCashier(deps, params);
  if (!check.ok) return { status: 400, result: check.result };
  return { status: 200, result: completeCashier(deps, check.order, action) };
}
