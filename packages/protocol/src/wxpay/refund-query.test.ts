import { describe, expect, it } from 'vitest';
import { errorOf } from '../testing/caught-error';
import { buildSignedRefundFailResponse, buildSignedRefundQueryResponse, devMerchant, refundFixtureDefaults, type RefundQueryFixtureRefund } from '../testing';
import { WxPayResultError, WxPayValidationError } from './errors';
import type { V2Merchant } from './merchant';
import { buildRefundQueryRequest, parseRefundQueryResponse, type RefundQueryInput } from './refund-query';
import { isRefundStatusFinal, REFUND_STATUSES } from './refund-status';
import { verifyV2 } from './v2-sign';
import { parseXml } from './xml-codec';

const merchant: V2Merchant = { appId: devMerchant.appId, mchId: devMerchant.mchId, apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' };
const nonce = 'n0nce';
const fieldOf = (fn: () => unknown): string => {
  const err = errorOf(fn);
  expect(err).toBeInstanceOf(WxPayValidationError);
  return `${err.code} ${(err as WxPayValidationError).field}`;
};

const three: RefundQueryFixtureRefund[] = [
  { outRefundNo: 'R1', refundId: '50000000000000000000000000001', refundFee: 1000, refundStatus: 'SUCCESS', coupons: [{ id: 'C1', type: 'NO_CASH', fee: 100 }, { id: 'C2', type: 'CASH', fee: 50 }] },
  { outRefundNo: 'R2', refundId: '50000000000000000000000000002', refundFee: 2000, refundStatus: 'PROCESSING', refundChannel: 'BALANCE' },
  { outRefundNo: 'R3', refundId: '50000000000000000000000000003', refundFee: 300, refundStatus: 'CHANGE', refundRecvAccout: '招商银行信用卡0403', coupons: [{ id: 'C3', fee: 30 }] },
];

describe('buildRefundQueryRequest', () => {
  it.each<[RefundQueryInput, Record<string, string>]>([
    [{ outRefundNo: 'R1@x' }, { out_refund_no: 'R1@x' }],
    [{ refundId: '50000000000000000000000000001' }, { refund_id: '50000000000000000000000000001' }],
    [{ transactionId: '4200002345202511251234567890', offset: 10 }, { transaction_id: '4200002345202511251234567890', offset: '10' }],
    [{ outTradeNo: 'T1', offset: 0 }, { out_trade_no: 'T1', offset: '0' }],
    [{ refundId: '5001', transactionId: '4200' }, { refund_id: '5001', transaction_id: '4200' }],
  ])('%o → signed wire fields', (query, wire) => {
    const { fields, xml } = buildRefundQueryRequest(query, merchant, nonce);
    expect(fields).toMatchObject(wire);
    for (const name of ['refund_id', 'out_refund_no', 'transaction_id', 'out_trade_no', 'offset']) expect(name in fields).toBe(name in wire);
    expect(verifyV2(parseXml(xml), devMerchant.apiKey)).toBe('HMAC-SHA256');
  });

  it('refuses no key, ambiguous keys, offset without an order key and bad values', () => {
    const as = (q: object): RefundQueryInput => q as RefundQueryInput;
    expect(fieldOf(() => buildRefundQueryRequest(as({}), merchant, nonce))).toBe('FIELD_MISSING out_refund_no');
    expect(fieldOf(() => buildRefundQueryRequest(as({ outRefundNo: 'R1', outTradeNo: 'T1' }), merchant, nonce))).toBe('FIELD_INVALID out_refund_no');
    expect(fieldOf(() => buildRefundQueryRequest(as({ transactionId: '42', outTradeNo: 'T1' }), merchant, nonce))).toBe('FIELD_INVALID out_refund_no');
    expect(fieldOf(() => buildRefundQueryRequest(as({ outRefundNo: 'R1', offset: 10 }), merchant, nonce))).toBe('FIELD_INVALID offset');
    expect(fieldOf(() => buildRefundQueryRequest(as({ refundId: '5', transactionId: '42', offset: 1 }), merchant, nonce))).toBe('FIELD_INVALID offset');
    expect(fieldOf(() => buildRefundQueryRequest({ outTradeNo: 'T1', offset: -1 }, merchant, nonce))).toBe('FIELD_INVALID offset');
    expect(fieldOf(() => buildRefundQueryRequest({ outTradeNo: 'T1', offset: 1.5 }, merchant, nonce))).toBe('FIELD_INVALID offset');
    expect(fieldOf(() => buildRefundQueryRequest({ outRefundNo: 'R 1' }, merchant, nonce))).toBe('FIELD_INVALID out_refund_no');
    expect(fieldOf(() => buildRefundQueryRequest({ outRefundNo: 'R'.repeat(65) }, merchant, nonce))).toBe('FIELD_INVALID out_refund_no');
  });
});

describe('parseRefundQueryResponse', () => {
  it('maps the indexed _$n and _$n_$m fields of several refunds with coupons to a list', () => {
    const result = parseRefundQueryResponse(buildSignedRefundQueryResponse(three, { signType: 'MD5' }, { total_refund_count: '13', settlement_total_fee: '9800' }), merchant);
    expect(result).toMatchObject({
      transactionId: refundFixtureDefaults.transactionId,
      outTradeNo: refundFixtureDefaults.outTradeNo,
      totalFee: 9900,
      settlementTotalFee: 9800,
      cashFee: 9900,
      feeType: 'CNY',
      totalRefundCount: 13,
    });
    expect(result.refunds).toEqual([
      {
        outRefundNo: 'R1',
        refundId: '50000000000000000000000000001',
        refundStatus: 'SUCCESS',
        refundFee: 1000,
        settlementRefundFee: 900,
        couponRefundFee: 150,
        coupons: [
          { id: 'C1', type: 'NO_CASH', fee: 100 },
          { id: 'C2', type: 'CASH', fee: 50 },
        ],
        refundChannel: 'ORIGINAL',
        refundAccount: 'REFUND_SOURCE_RECHARGE_FUNDS',
        refundRecvAccount: '支付用户零钱',
        refundSuccessTime: refundFixtureDefaults.successTime,
      },
      {
        outRefundNo: 'R2',
        refundId: '50000000000000000000000000002',
        refundStatus: 'PROCESSING',
        refundFee: 2000,
        settlementRefundFee: 2000,
        couponRefundFee: undefined,
        coupons: [],
        refundChannel: 'BALANCE',
        refundAccount: 'REFUND_SOURCE_RECHARGE_FUNDS',
        refundRecvAccount: '支付用户零钱',
        refundSuccessTime: undefined,
      },
      {
        outRefundNo: 'R3',
        refundId: '50000000000000000000000000003',
        refundStatus: 'CHANGE',
        refundFee: 300,
        settlementRefundFee: 300,
        couponRefundFee: 30,
        coupons: [{ id: 'C3', fee: 30 }],
        refundChannel: 'ORIGINAL',
        refundAccount: 'REFUND_SOURCE_RECHARGE_FUNDS',
        refundRecvAccount: '招商银行信用卡0403',
        refundSuccessTime: undefined,
      },
    ]);
  });

  it.each(REFUND_STATUSES)('keeps refund_status %s', (status) => {
    const result = parseRefundQueryResponse(buildSignedRefundQueryResponse([{ ...three[1]!, refundStatus: status }], { signType: 'HMAC-SHA256' }), merchant);
    expect(result.refunds[0]?.refundStatus).toBe(status);
  });

  it('only PROCESSING is not final', () => {
    expect(REFUND_STATUSES.filter((s) => !isRefundStatusFinal(s))).toEqual(['PROCESSING']);
  });

  it.each(['FAIL', 'REFUNDING', 'success', ''])('refuses refund_status %j, naming the indexed field', (status) => {
    const xml = buildSignedRefundQueryResponse([three[0]!, { ...three[1]!, refundStatus: status }], { signType: 'MD5' });
    expect(fieldOf(() => parseRefundQueryResponse(xml, merchant))).toBe(`${status === '' ? 'FIELD_MISSING' : 'FIELD_INVALID'} refund_status_1`);
  });

  it('refund_count 0 is an empty list', () => {
    expect(parseRefundQueryResponse(buildSignedRefundQueryResponse([], { signType: 'MD5' }), merchant).refunds).toEqual([]);
  });

  it('refuses counts that disagree with the indexed fields', () => {
    const r = (overrides: Record<string, string | undefined>, refunds = three): string => buildSignedRefundQueryResponse(refunds, { signType: 'MD5' }, overrides);
    expect(fieldOf(() => parseRefundQueryResponse(r({ refund_count: '2' }), merchant))).toMatch(/^FIELD_INVALID (out_refund_no|refund_id|refund_fee|refund_status|refund_channel|settlement_refund_fee|coupon_refund_fee|coupon_refund_count|refund_account|refund_recv_accout|coupon_type|coupon_refund_id)_2/);
    expect(fieldOf(() => parseRefundQueryResponse(r({ refund_count: '4' }), merchant))).toBe('FIELD_MISSING out_refund_no_3');
    expect(fieldOf(() => parseRefundQueryResponse(r({ coupon_refund_count_0: '1' }), merchant))).toBe('FIELD_INVALID coupon_refund_id_0_1');
    expect(fieldOf(() => parseRefundQueryResponse(r({ coupon_refund_count_0: '3' }), merchant))).toBe('FIELD_MISSING coupon_refund_id_0_2');
    expect(fieldOf(() => parseRefundQueryResponse(r({ refund_fee_5: '1' }), merchant))).toBe('FIELD_INVALID refund_fee_5');
    expect(fieldOf(() => parseRefundQueryResponse(r({ refund_count: undefined }), merchant))).toBe('FIELD_MISSING refund_count');
    expect(fieldOf(() => parseRefundQueryResponse(r({ refund_count: '51' }), merchant))).toBe('FIELD_INVALID refund_count');
  });

  it('refuses malformed amounts and times', () => {
    const r = (overrides: Record<string, string | undefined>): string => buildSignedRefundQueryResponse(three, { signType: 'MD5' }, overrides);
    expect(fieldOf(() => parseRefundQueryResponse(r({ refund_fee_1: '20.00' }), merchant))).toBe('FIELD_INVALID refund_fee_1');
    expect(fieldOf(() => parseRefundQueryResponse(r({ coupon_refund_fee_0_1: '-5' }), merchant))).toBe('FIELD_INVALID coupon_refund_fee_0_1');
    expect(fieldOf(() => parseRefundQueryResponse(r({ refund_success_time_0: '20251126100005' }), merchant))).toBe('FIELD_INVALID refund_success_time_0');
    expect(fieldOf(() => parseRefundQueryResponse(r({ refund_success_time_0: '2025-02-30 10:00:05' }), merchant))).toBe('FIELD_INVALID refund_success_time_0');
    expect(fieldOf(() => parseRefundQueryResponse(r({ total_fee: undefined }), merchant))).toBe('FIELD_MISSING total_fee');
  });

  it('REFUNDNOTEXIST is a WxPayResultError', () => {
    const err = errorOf(() => parseRefundQueryResponse(buildSignedRefundFailResponse('REFUNDNOTEXIST', 'not exist', { signType: 'MD5' }), merchant));
    expect(err).toBeInstanceOf(WxPayResultError);
    expect((err as WxPayResultError).errCode).toBe('REFUNDNOTEXIST');
  });
});
