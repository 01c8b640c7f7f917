import { missing, notifyUrlProblem, tooLong, TOTAL_FEE, type FieldProblem } from './v2-field-rules';

/** 商户订单号 in the refund table: 6-32 of digits, letters and _-|* (要求32个字符内,最少6个字符). */
const REFUND_OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
/** 商户退款单号: at most 64 of digits, letters and _-|*@. */
const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
const REFUND_ACCOUNTS = new Set(['REFUND_SOURCE_UNSETTLED_FUNDS', 'REFUND_SOURCE_RECHARGE_FUNDS']);
const OFFSET = /^(0|[1-9][0-9]{0,8})$/;
const MAX_FEN = 2_147_483_647;

const given = (fields: Readonly<Record<string, string>>, name: string): boolean => (fields[name] ?? '') !== '';

function fen(fields: Readonly<Record<string, string>>, name: string): FieldProblem | undefined {
  const value = fields[name] ?? '';
  if (!TOTAL_FEE.test(value) || Number(value) > MAX_FEN) return { code: 'PARAM_ERROR', detail: `${name} must be a positive integer number of fen` };
  return undefined;
}

/** /secapi/pay/refund fields and formats, per the official request table. */
export function refundProblem(fields: Readonly<Record<string, string>>): FieldProblem | undefined {
  const lack = missing(fields, ['nonce_str', 'out_refund_no', 'total_fee', 'refund_fee']);
  if (lack !== undefined) return lack;
  if (!given(fields, 'transaction_id') && !given(fields, 'out_trade_no')) return { code: 'LACK_PARAMS', detail: 'transaction_id or out_trade_no' };
  const long = tooLong(fields, {
    nonce_str: 32,
    transaction_id: 32,
    out_trade_no: 32,
    out_refund_no: 64,
    refund_fee_type: 8,
    refund_desc: 80,
    refund_account: 30,
    notify_url: 256,
    op_user_id: 32,
  });
  if (long !== undefined) return long;
  // transaction_id wins when both are sent, so out_trade_no is only checked when it is the key.
  if (!given(fields, 'transaction_id') && !REFUND_OUT_TRADE_NO.test(fields.out_trade_no ?? '')) {
    return { code: 'PARAM_ERROR', detail: 'out_trade_no must be 6-32 of [0-9A-Za-z_-|*]' };
  }
  if (!OUT_REFUND_NO.test(fields.out_refund_no ?? '')) return { code: 'PARAM_ERROR', detail: 'out_refund_no must be 1-64 of [0-9A-Za-z_-|*@]' };
  const amount = fen(fields, 'total_fee') ?? fen(fields, 'refund_fee');
  if (amount !== undefined) return amount;
  // What WeChat answers (return_code FAIL "invalid refund_fee") when the refund exceeds the order.
  if (Number(fields.refund_fee) > Number(fields.total_fee)) return { code: 'PARAM_ERROR', detail: 'invalid refund_fee: more than total_fee' };
  // 需与支付一致,或者不填: the emulator's orders are CNY.
  if (fields.refund_fee_type !== undefined && fields.refund_fee_type !== 'CNY') return { code: 'PARAM_ERROR', detail: 'refund_fee_type must be CNY (the payment currency) or absent' };
  if (fields.refund_account !== undefined && !REFUND_ACCOUNTS.has(fields.refund_account)) {
    return { code: 'PARAM_ERROR', detail: 'refund_account must be REFUND_SOURCE_UNSETTLED_FUNDS or REFUND_SOURCE_RECHARGE_FUNDS' };
  }
  if (fields.notify_url !== undefined) {
    const urlProblem = notifyUrlProblem(fields.notify_url);
    if (urlProblem !== undefined) return { code: 'PARAM_ERROR', detail: urlProblem };
  }
  return undefined;
}

/** /pay/refundquery: one of the four keys, lengths, and a non-negative integer offset. */
export function refundQueryProblem(fields: Readonly<Record<string, string>>): FieldProblem | undefined {
  const lack = missing(fields, ['nonce_str']);
  if (lack !== undefined) return lack;
  if (!['refund_id', 'out_refund_no', 'transaction_id', 'out_trade_no'].some((name) => given(fields, name))) {
    return { code: 'LACK_PARAMS', detail: 'refund_id, out_refund_no, transaction_id or out_trade_no' };
  }
  const long = tooLong(fields, { nonce_str: 32, transaction_id: 32, out_trade_no: 32, out_refund_no: 64, refund_id: 32 });
  if (long !== undefined) return long;
  if (fields.offset !== undefined && !OFFSET.test(fields.offset)) return { code: 'PARAM_ERROR', detail: 'offset must be a non-negative integer' };
  return undefined;
}
