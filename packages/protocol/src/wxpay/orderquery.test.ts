import { describe, expect, it } from 'vitest';
import { errorOf } from '../testing/caught-error';
import { buildSignedV2Response, devMerchant } from '../testing';
import { WxPayResultError } from './errors';
import type { V2Merchant } from './merchant';
import { buildOrderQueryRequest, isTradeStateFinal, parseOrderQueryResponse, type TradeState } from './orderquery';
import { verifyV2 } from './v2-sign';
import { parseXml } from './xml-codec';

const merchant: V2Merchant = { appId: devMerchant.appId, mchId: devMerchant.mchId, apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' };

const base = {
  return_code: 'SUCCESS',
  appid: devMerchant.appId,
  mch_id: devMerchant.mchId,
  nonce_str: 'abc123',
  result_code: 'SUCCESS',
  out_trade_no: 'T1',
};
const paid = {
  ...base,
  trade_state: 'SUCCESS',
  transaction_id: '4200002345202511251234567890',
  total_fee: '9900',
  cash_fee: '9800',
  coupon_fee: '100',
  openid: 'oUpF8u',
  time_end: '20251125161500',
  trade_state_desc: '支付成功',
};
const respond = (fields: Record<string, string>): string => buildSignedV2Response(fields, devMerchant.apiKey, 'HMAC-SHA256');

describe('orderquery', () => {
  it('builds a signed request by out_trade_no', () => {
    const { fields, xml } = buildOrderQueryRequest({ outTradeNo: 'T1' }, merchant, 'n0nce');
    expect(fields.out_trade_no).toBe('T1');
    expect(fields.sign_type).toBe('HMAC-SHA256');
    expect(verifyV2(parseXml(xml), devMerchant.apiKey)).toBe('HMAC-SHA256');
    expect(errorOf(() => buildOrderQueryRequest({ outTradeNo: 'T 1' }, merchant, 'n0nce')).code).toBe('FIELD_INVALID');
  });

  it('builds a request by transaction_id alone, and refuses both keys or neither', () => {
    const { fields } = buildOrderQueryRequest({ transactionId: '4200002345202511251234567890' }, merchant, 'n0nce');
    expect(fields.transaction_id).toBe('4200002345202511251234567890');
    expect('out_trade_no' in fields).toBe(false);
    expect(verifyV2(fields, devMerchant.apiKey)).toBe('HMAC-SHA256');
    const both = { transactionId: '4200002345202511251234567890', outTradeNo: 'T1' } as unknown as { transactionId: string };
    expect(errorOf(() => buildOrderQueryRequest(both, merchant, 'n0nce')).code).toBe('FIELD_INVALID');
    expect(errorOf(() => buildOrderQueryRequest({} as { outTradeNo: string }, merchant, 'n0nce')).code).toBe('FIELD_MISSING');
    expect(errorOf(() => buildOrderQueryRequest({ transactionId: '4200-0023' }, merchant, 'n0nce')).code).toBe('FIELD_INVALID');
    expect(errorOf(() => buildOrderQueryRequest({ transactionId: '1'.repeat(33) }, merchant, 'n0nce')).code).toBe('FIELD_INVALID');
  });

  it('maps every documented field of a paid order: device_info, bank_type, attach, coupons, settlement_total_fee', () => {
    const withCoupons = {
      ...paid,
      device_info: 'POS-01',
      bank_type: 'CMC',
      attach: 'shop-a',
      fee_type: 'CNY',
      cash_fee_type: 'CNY',
      settlement_total_fee: '9950',
      coupon_count: '2',
      coupon_type_0: 'CASH',
      coupon_id_0: '10000',
      coupon_fee_0: '50',
      coupon_type_1: 'NO_CASH',
      coupon_id_1: '10001',
      coupon_fee_1: '50',
    };
    const result = parseOrderQueryResponse(respond(withCoupons), merchant);
    expect(result).toMatchObject({
      deviceInfo: 'POS-01',
      bankType: 'CMC',
      attach: 'shop-a',
      settlementTotalFee: 9950,
      couponFee: 100,
      coupons: [
        { id: '10000', type: 'CASH', fee: 50 },
        { id: '10001', type: 'NO_CASH', fee: 50 },
      ],
      unexpectedShapes: [],
    });
    expect(errorOf(() => parseOrderQueryResponse(respond({ ...withCoupons, coupon_fee: '-1' }), merchant)).code).toBe('FIELD_INVALID');
  });

  it('keeps the unindexed coupon_id of the official example as coupon 0, noted as an unexpected shape', () => {
    const result = parseOrderQueryResponse(respond({ ...paid, coupon_count: '1', coupon_id: '10000', coupon_type: 'CASH' }), merchant);
    expect(result.coupons).toEqual([{ id: '10000', type: 'CASH', fee: 100 }]);
    expect(result.unexpectedShapes).toEqual(['coupon_id', 'coupon_type']);
  });

  it('maps a paid order with exact integer fees and a 28-digit transaction_id', () => {
    const result = parseOrderQueryResponse(respond(paid), merchant);
    expect(result).toMatchObject({
      tradeState: 'SUCCESS',
      outTradeNo: 'T1',
      transactionId: '4200002345202511251234567890',
      totalFee: 9900,
      cashFee: 9800,
      openid: 'oUpF8u',
      timeEnd: '20251125161500',
      tradeStateDesc: '支付成功',
    });
    expect(result.raw.coupon_fee).toBe('100');
  });

  it('maps intermediate states without payment fields', () => {
    const result = parseOrderQueryResponse(respond({ ...base, trade_state: 'NOTPAY', trade_state_desc: '订单未支付' }), merchant);
    expect(result.tradeState).toBe('NOTPAY');
    expect(result.transactionId).toBeUndefined();
    expect(result.totalFee).toBeUndefined();
  });

  it('a SUCCESS trade_state without transaction_id or total_fee is refused', () => {
    const { transaction_id: _t, ...noTx } = paid;
    expect(errorOf(() => parseOrderQueryResponse(respond(noTx), merchant)).code).toBe('FIELD_MISSING');
    expect(errorOf(() => parseOrderQueryResponse(respond({ ...paid, total_fee: '99.00' }), merchant)).code).toBe('FIELD_INVALID');
    expect(errorOf(() => parseOrderQueryResponse(respond({ ...paid, total_fee: '1e4' }), merchant)).code).toBe('FIELD_INVALID');
  });

  it('refuses an unknown or missing trade_state', () => {
    expect(errorOf(() => parseOrderQueryResponse(respond({ ...base, trade_state: 'PAID' }), merchant)).code).toBe('FIELD_INVALID');
    expect(errorOf(() => parseOrderQueryResponse(respond(base), merchant)).code).toBe('FIELD_MISSING');
  });

  it('ORDERNOTEXIST is a WxPayResultError', () => {
    const err = errorOf(() => parseOrderQueryResponse(respond({ ...base, result_code: 'FAIL', err_code: 'ORDERNOTEXIST', err_code_des: '此交易订单号不存在' }), merchant));
    expect(err).toBeInstanceOf(WxPayResultError);
    expect((err as WxPayResultError).errCode).toBe('ORDERNOTEXIST');
  });

  it('only NOTPAY, USERPAYING and ACCEPT are intermediate', () => {
    const states: TradeState[] = ['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR', 'ACCEPT'];
    expect(states.filter((s) => !isTradeStateFinal(s))).toEqual(['NOTPAY', 'USERPAYING', 'ACCEPT']);
  });
});
