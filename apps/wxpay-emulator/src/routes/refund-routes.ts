import { Router } from '@koa/router';
import type { EmulatorDeps } from '../emulator-deps';
import type { EmulatorRefund } from '../emulator-types';
import { refundProblem, refundQueryProblem } from '../rules/refund-field-rules';
import { RefundError } from '../state/refund-lifecycle';
import type { OrderRecord } from '../state/store';
import { REFUND_QUERY_PAGE_SIZE, refundAnswerFields, refundQueryFields } from '../wire/refund-fields';
import { v2Endpoint, type V2Outcome } from './v2-endpoint';

const given = (value: string | undefined): value is string => value !== undefined && value !== '';

function refundErrorOutcome(error: unknown): V2Outcome {
  if (!(error instanceof RefundError) || error.code === 'REFUND_FINAL') throw error;
  return { kind: 'business-fail', errCode: error.code, errCodeDes: error.message };
}

const REFUND_NOT_EXIST: V2Outcome = { kind: 'business-fail', errCode: 'REFUNDNOTEXIST', errCodeDes: 'not exist' };

/** Refunds: `POST /secapi/pay/refund` (client certificate required) and `POST /pay/refundquery`. */
export function refundRoutes(deps: EmulatorDeps): Router {
  const router = new Router();

  router.all(
    '/secapi/pay/refund',
    v2Endpoint(deps, {
      endpoint: 'refund',
      requireClientCertificate: true,
      handle({ fields, merchant, signType }) {
        const problem = refundProblem(fields);
        if (problem !== undefined) return { kind: 'return-fail', code: problem.code, detail: problem.detail };
        // transaction_id wins when both are given, as documented.
        let order: OrderRecord | undefined;
        if (given(fields.transaction_id)) {
          order = deps.store.findOrderByTransactionId(merchant.mchId, fields.transaction_id);
          if (order === undefined) return { kind: 'business-fail', errCode: 'INVALID_TRANSACTIONID', errCodeDes: '无效transaction_id' };
        } else {
          order = deps.store.findOrder(merchant.mchId, fields.out_trade_no ?? '');
          if (order === undefined) return { kind: 'business-fail', errCode: 'ORDERNOTEXIST', errCodeDes: '订单号不存在' };
        }
        try {
          const { refund } = deps.refunds.request(merchant, order, {
            outRefundNo: fields.out_refund_no ?? '',
            totalFee: Number(fields.total_fee),
            refundFee: Number(fields.refund_fee),
            ...(given(fields.refund_desc) ? { refundDesc: fields.refund_desc } : {}),
            ...(given(fields.refund_account) ? { refundAccount: fields.refund_account } : {}),
            ...(given(fields.notify_url) ? { notifyUrl: fields.notify_url } : {}),
            signType,
            source: 'API',
          });
          return { kind: 'success', fields: refundAnswerFields(refund, order) };
        } catch (error) {
          return refundErrorOutcome(error);
        }
      },
    }),
  );

  router.all(
    '/pay/refundquery',
    v2Endpoint(deps, {
      endpoint: 'refundquery',
      handle({ fields, merchant }) {
        const problem = refundQueryProblem(fields);
        if (problem !== undefined) return { kind: 'return-fail', code: problem.code, detail: problem.detail };
        // Priority refund_id > out_refund_no > transaction_id > out_trade_no.
        let single: EmulatorRefund | undefined;
        let order: OrderRecord | undefined;
        if (given(fields.refund_id) || given(fields.out_refund_no)) {
          single = given(fields.refund_id) ? deps.store.findRefundById(merchant.mchId, fields.refund_id) : deps.store.findRefund(merchant.mchId, fields.out_refund_no ?? '');
          if (single === undefined) return REFUND_NOT_EXIST;
          order = deps.store.findOrder(merchant.mchId, single.outTradeNo);
          if (order === undefined) return REFUND_NOT_EXIST;
          return { kind: 'success', fields: refundQueryFields(order, [single], { count: 1, include: false }) };
        }
        order = given(fields.transaction_id) ? deps.store.findOrderByTransactionId(merchant.mchId, fields.transaction_id) : deps.store.findOrder(merchant.mchId, fields.out_trade_no ?? '');
        const refunds = order === undefined ? [] : deps.store.refundsOf(order);
        if (order === undefined || refunds.length === 0) return REFUND_NOT_EXIST;
        const offset = fields.offset === undefined ? undefined : Number(fields.offset);
        if (offset !== undefined && offset > refunds.length) {
          return { kind: 'business-fail', errCode: 'PARAM_ERROR', errCodeDes: `offset ${offset} is greater than total_refund_count ${refunds.length}` };
        }
        const start = offset ?? 0;
        const page = refunds.slice(start, start + REFUND_QUERY_PAGE_SIZE);
        return { kind: 'success', fields: refundQueryFields(order, page, { count: refunds.length, include: offset !== undefined || refunds.length > REFUND_QUERY_PAGE_SIZE }) };
      },
    }),
  );

  return router;
}
