import { Router } from '@koa/router';
import { buildXml } from '@checkout/protocol/wxpay';
import type { EmulatorDeps } from '../emulator-deps';
import { isPaid, OrderError } from '../state/order-lifecycle';
import { paymentFields } from '../wire/payment-fields';
import { checkReport } from '../rules/report-request-rules';
import type { OrderRecord } from '../state/store';
import { v2Endpoint, type V2Outcome } from './v2-endpoint';
import { closeOrderProblem, orderQueryProblem, unifiedOrderProblem } from '../rules/v2-field-rules';

const TRADE_STATE_DESC: Readonly<Record<string, string>> = {
  SUCCESS: '支付成功',
  NOTPAY: '订单未支付',
  CLOSED: '订单已关闭',
  PAYERROR: '支付失败,请重新下单支付',
  REFUND: '订单发生过退款',
};

function orderErrorOutcome(error: unknown): V2Outcome {
  if (!(error instanceof OrderError)) throw error;
  switch (error.code) {
    case 'ORDERPAID':
    case 'ORDERCLOSED':
    case 'OUT_TRADE_NO_USED':
    case 'INVALID_REQUEST':
    case 'ORDERNOTEXIST':
      return { kind: 'business-fail', errCode: error.code, errCodeDes: error.message };
    // No dedicated code is documented for closing too early; SYSTEMERROR's documented remedy
    // ("请重新调用该API") is the right one, so callers retry later. See README.
    case 'CLOSE_TOO_EARLY':
    case 'PREPAY_EXPIRED':
    case 'ORDER_EXPIRED':
      return { kind: 'business-fail', errCode: 'SYSTEMERROR', errCodeDes: error.message };
  }
}

/** orderquery fields for one order, as WeChat answers per trade_state. */
function orderQueryFields(order: OrderRecord): Record<string, string> {
  const out: Record<string, string> = {
    out_trade_no: order.outTradeNo,
    trade_state: order.tradeState,
    trade_state_desc: TRADE_STATE_DESC[order.tradeState] ?? order.tradeState,
    total_fee: String(order.totalFee),
    fee_type: 'CNY',
  };
  if (order.attach !== undefined) out.attach = order.attach;
  if (isPaid(order)) Object.assign(out, paymentFields(order));
  return out;
}

/** The v2 XML API: /pay/unifiedorder, /pay/orderquery, /pay/closeorder, /payitil/report. */
export function payRoutes(deps: EmulatorDeps): Router {
  const router = new Router();

  router.all(
    '/pay/unifiedorder',
    v2Endpoint(deps, {
      endpoint: 'unifiedorder',
      handle({ fields, merchant, signType }) {
        const problem = unifiedOrderProblem(fields);
        if (problem !== undefined) return { kind: 'return-fail', code: problem.code, detail: problem.detail };
        try {
          const order = deps.lifecycle.unifiedOrder(merchant, fields, signType);
          const answer: Record<string, string> = { trade_type: 'JSAPI', prepay_id: order.prepayId };
          if (fields.device_info !== undefined) answer.device_info = fields.device_info;
          return { kind: 'success', fields: answer };
        } catch (error) {
          return orderErrorOutcome(error);
        }
      },
    }),
  );

  router.all(
    '/pay/orderquery',
    v2Endpoint(deps, {
      endpoint: 'orderquery',
      handle({ fields, merchant }) {
        const problem = orderQueryProblem(fields);
        if (problem !== undefined) return { kind: 'return-fail', code: problem.code, detail: problem.detail };
        // transaction_id wins when both are given, as documented.
        const order =
          fields.transaction_id !== undefined && fields.transaction_id !== ''
            ? deps.store.findOrderByTransactionId(merchant.mchId, fields.transaction_id)
            : deps.store.findOrder(merchant.mchId, fields.out_trade_no ?? '');
        if (order === undefined) return { kind: 'business-fail', errCode: 'ORDERNOTEXIST', errCodeDes: '此交易订单号不存在' };
        return { kind: 'success', fields: orderQueryFields(order) };
      },
    }),
  );

  router.all(
    '/pay/closeorder',
    v2Endpoint(deps, {
      endpoint: 'closeorder',
      handle({ fields, merchant }) {
        const problem = closeOrderProblem(fields);
        if (problem !== undefined) return { kind: 'return-fail', code: problem.code, detail: problem.detail };
        const order = deps.store.findOrder(merchant.mchId, fields.out_trade_no ?? '');
        if (order === undefined) return { kind: 'business-fail', errCode: 'ORDERNOTEXIST', errCodeDes: '此交易订单号不存在' };
        try {
          deps.lifecycle.close(order);
          return { kind: 'success', fields: { result_msg: 'OK' } };
        } catch (error) {
          return orderErrorOutcome(error);
        }
      },
    }),
  );

  router.all(
    '/payitil/report',
    v2Endpoint(deps, {
      endpoint: 'report',
      appIdOptional: true,
      handle({ fields }) {
        const checked = checkReport(fields);
        if (!checked.ok) return { kind: 'return-fail', code: checked.problem.code, detail: checked.problem.detail };
        const { sign: _sign, ...kept } = fields;
        deps.store.addReport({ ...checked.value, receivedAt: deps.clock.now().toISOString(), fields: kept });
        // payitil/report answers are not signed; return_msg is required in them.
        return { kind: 'unsigned', xml: buildXml({ return_code: 'SUCCESS', return_msg: 'OK', result_code: 'SUCCESS' }) };
      },
    }),
  );

  return router;
}
