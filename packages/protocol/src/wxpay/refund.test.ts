import { describe, expect, it } from 'vitest';
import { errorOf } from '../testing/caught-error';
import { buildSignedRefundFailResponse, buildSignedRefundResponse, devMerchant, refundFixtureDefaults } from '../testing';
import { WxPayConnectionError, WxPayResultError, WxPayReturnError, WxPaySignatureError, WxPayValidationError } from './errors';
import type { V2Merchant } from './merchant';
import { buildRefundRequest, parseRefundResponse, type RefundInput } from './refund';
import { classifyRefundError, classifyRefundFailure } from './refund-errors';
import { signV2, verifyV2 } from './v2-sign';
import { buildXml, parseXml } from './xml-codec';

const md5Merchant: V2Merchant = { appId: devMerchant.appId, mchId: devMerchant.mchId, apiKey: devMerchant.apiKey, signType: 'MD5' };
const hmacMerchant: V2Merchant = { ...md5Merchant, signType: 'HMAC-SHA256' };
const nonce = '5K8264ILTKCH16CQ2502SI8ZNMTM67VS';

const refund: RefundInput = { transactionId: '4200002345202511251234567890', outRefundNo: 'R1-a|b*c_d@e', totalFee: 9900, refundFee: 3000 };
const fieldOf = (fn: () => unknown): string => {
  const err = errorOf(fn);
  expect(err).toBeInstanceOf(WxPayValidationError);
  return `${err.code} ${(err as WxPayValidationError).field}`;
};

describe('buildRefundRequest', () => {
  it('builds a signed request whose XML carries exactly the signed fields', () => {
    const { fields, xml } = buildRefundRequest(
      { ...refund, refundDesc: '商品已售完 <退款> & "全额"', notifyUrl: 'https://shop.example.com/wxpay/refund-notify', refundAccount: 'REFUND_SOURCE_RECHARGE_FUNDS' },
      md5Merchant,
      nonce,
    );
    expect({ ...fields, sign: undefined }).toEqual({
      appid: devMerchant.appId,
      mch_id: devMerchant.mchId,
      nonce_str: nonce,
      transaction_id: '4200002345202511251234567890',
      out_refund_no: 'R1-a|b*c_d@e',
      total_fee: '9900',
      refund_fee: '3000',
      refund_desc: '商品已售完 <退款> & "全额"',
      notify_url: 'https://shop.example.com/wxpay/refund-notify',
      refund_account: 'REFUND_SOURCE_RECHARGE_FUNDS',
      sign: undefined,
    });
    expect({ ...parseXml(xml) }).toEqual(fields);
    expect(verifyV2(parseXml(xml), devMerchant.apiKey)).toBe('MD5');
  });

  it('by out_trade_no, optional fields left out; HMAC-SHA256 merchants send and sign sign_type', () => {
    const { fields } = buildRefundRequest({ outTradeNo: 'T20251125161500000001', outRefundNo: 'R2', totalFee: 100, refundFee: 100 }, hmacMerchant, nonce);
    expect(fields.out_trade_no).toBe('T20251125161500000001');
    for (const name of ['transaction_id', 'refund_desc', 'notify_url', 'refund_account', 'refund_fee_type', 'op_user_id']) expect(name in fields).toBe(false);
    expect(fields.sign_type).toBe('HMAC-SHA256');
    expect(fields.sign).toBe(signV2(fields, devMerchant.apiKey, 'HMAC-SHA256'));
  });

  it('refund_fee may equal total_fee but not exceed it; 0, negative and fractional fen are refused', () => {
    expect(buildRefundRequest({ ...refund, refundFee: 9900 }, md5Merchant, nonce).fields.refund_fee).toBe('9900');
    expect(fieldOf(() => buildRefundRequest({ ...refund, refundFee: 9901 }, md5Merchant, nonce))).toBe('FIELD_INVALID refund_fee');
    expect(fieldOf(() => buildRefundRequest({ ...refund, refundFee: 0 }, md5Merchant, nonce))).toBe('FIELD_INVALID refund_fee');
    expect(fieldOf(() => buildRefundRequest({ ...refund, refundFee: -1 }, md5Merchant, nonce))).toBe('FIELD_INVALID refund_fee');
    expect(fieldOf(() => buildRefundRequest({ ...refund, refundFee: 30.5 }, md5Merchant, nonce))).toBe('FIELD_INVALID refund_fee');
    expect(fieldOf(() => buildRefundRequest({ ...refund, totalFee: 0, refundFee: 0 }, md5Merchant, nonce))).toBe('FIELD_INVALID total_fee');
    expect(fieldOf(() => buildRefundRequest({ ...refund, totalFee: Number.NaN }, md5Merchant, nonce))).toBe('FIELD_INVALID total_fee');
  });

  it('out_refund_no: 64 characters of [0-9A-Za-z_-|*@] pass; 65, empty or other characters are refused', () => {
    expect(buildRefundRequest({ ...refund, outRefundNo: 'a'.repeat(64) }, md5Merchant, nonce).fields.out_refund_no).toHaveLength(64);
    expect(fieldOf(() => buildRefundRequest({ ...refund, outRefundNo: 'a'.repeat(65) }, md5Merchant, nonce))).toBe('FIELD_INVALID out_refund_no');
    expect(fieldOf(() => buildRefundRequest({ ...refund, outRefundNo: '' }, md5Merchant, nonce))).toBe('FIELD_MISSING out_refund_no');
    for (const bad of ['R 1', 'R#1', 'R.1', 'R+1', '退款1', 'R1\n']) {
      expect(fieldOf(() => buildRefundRequest({ ...refund, outRefundNo: bad }, md5Merchant, nonce))).toBe('FIELD_INVALID out_refund_no');
    }
  });

  it('refund_desc: at most 80 characters', () => {
    expect(buildRefundRequest({ ...refund, refundDesc: '退'.repeat(80) }, md5Merchant, nonce).fields.refund_desc).toHaveLength(80);
    expect(fieldOf(() => buildRefundRequest({ ...refund, refundDesc: '退'.repeat(81) }, md5Merchant, nonce))).toBe('FIELD_INVALID refund_desc');
    expect(fieldOf(() => buildRefundRequest({ ...refund, refundDesc: '' }, md5Merchant, nonce))).toBe('FIELD_MISSING refund_desc');
  });

  it('exactly one of transaction_id and out_trade_no', () => {
    const both = { ...refund, outTradeNo: 'T1' } as unknown as RefundInput;
    const neither = { outRefundNo: 'R1', totalFee: 1, refundFee: 1 } as unknown as RefundInput;
    expect(fieldOf(() => buildRefundRequest(both, md5Merchant, nonce))).toBe('FIELD_INVALID transaction_id');
    expect(fieldOf(() => buildRefundRequest(neither, md5Merchant, nonce))).toBe('FIELD_MISSING transaction_id');
    expect(fieldOf(() => buildRefundRequest({ ...refund, transactionId: '42-00' }, md5Merchant, nonce))).toBe('FIELD_INVALID transaction_id');
    expect(fieldOf(() => buildRefundRequest({ outTradeNo: 'T 1', outRefundNo: 'R1', totalFee: 1, refundFee: 1 }, md5Merchant, nonce))).toBe('FIELD_INVALID out_trade_no');
  });

  it('notify_url must be http(s) without a query string; refund_account must be a known source', () => {
    expect(fieldOf(() => buildRefundRequest({ ...refund, notifyUrl: 'https://shop.example.com/n?id=1' }, md5Merchant, nonce))).toBe('FIELD_INVALID notify_url');
    expect(fieldOf(() => buildRefundRequest({ ...refund, notifyUrl: 'ftp://shop.example.com/n' }, md5Merchant, nonce))).toBe('FIELD_INVALID notify_url');
    expect(fieldOf(() => buildRefundRequest({ ...refund, notifyUrl: `https://e.com/${'a'.repeat(250)}` }, md5Merchant, nonce))).toBe('FIELD_INVALID notify_url');
    const badAccount = { ...refund, refundAccount: 'REFUND_SOURCE_BASIC' } as unknown as RefundInput;
    expect(fieldOf(() => buildRefundRequest(badAccount, md5Merchant, nonce))).toBe('FIELD_INVALID refund_account');
  });
});

describe('parseRefundResponse', () => {
  it.each(['MD5', 'HMAC-SHA256'] as const)('maps a verified %s answer with coupons to integer fen', (signType) => {
    const xml = buildSignedRefundResponse(
      { refund_fee: '3000' },
      { signType, coupons: [{ id: '20001', type: 'NO_CASH', fee: 200 }, { id: '20002', type: 'CASH', fee: 100 }] },
    );
    const result = parseRefundResponse(xml, md5Merchant, { outRefundNo: refundFixtureDefaults.outRefundNo, refundFee: 3000, totalFee: 9900 });
    expect(result).toMatchObject({
      transactionId: refundFixtureDefaults.transactionId,
      outTradeNo: refundFixtureDefaults.outTradeNo,
      outRefundNo: refundFixtureDefaults.outRefundNo,
      refundId: refundFixtureDefaults.refundId,
      refundFee: 3000,
      totalFee: 9900,
      cashFee: 9900,
      cashRefundFee: 2700,
      settlementRefundFee: 2800,
      couponRefundFee: 300,
      coupons: [
        { id: '20001', type: 'NO_CASH', fee: 200 },
        { id: '20002', type: 'CASH', fee: 100 },
      ],
    });
  });

  it('an answer about another refund or amount than the one sent is refused', () => {
    const xml = buildSignedRefundResponse({ refund_fee: '3000' }, { signType: 'MD5' });
    const sent = { outRefundNo: refundFixtureDefaults.outRefundNo, refundFee: 3000, totalFee: 9900 };
    expect(fieldOf(() => parseRefundResponse(xml, md5Merchant, { ...sent, outRefundNo: 'R-other' }))).toBe('FIELD_INVALID out_refund_no');
    expect(fieldOf(() => parseRefundResponse(xml, md5Merchant, { ...sent, refundFee: 2999 }))).toBe('FIELD_INVALID refund_fee');
    expect(fieldOf(() => parseRefundResponse(xml, md5Merchant, { ...sent, totalFee: 10000 }))).toBe('FIELD_INVALID total_fee');
  });

  it('refuses unsigned, tampered, foreign and incomplete answers', () => {
    const good = parseXml(buildSignedRefundResponse({}, { signType: 'MD5' }));
    const { sign: _sign, ...unsigned } = good;
    expect(() => parseRefundResponse(buildXml(unsigned), md5Merchant)).toThrow(WxPaySignatureError);
    expect(() => parseRefundResponse(buildXml({ ...good, refund_fee: '1' }), md5Merchant)).toThrow(WxPaySignatureError);
    expect(fieldOf(() => parseRefundResponse(buildSignedRefundResponse({ mch_id: '1900000999' }, { signType: 'MD5' }), md5Merchant))).toBe('MERCHANT_MISMATCH mch_id');
    expect(fieldOf(() => parseRefundResponse(buildSignedRefundResponse({ refund_id: undefined }, { signType: 'MD5' }), md5Merchant))).toBe('FIELD_MISSING refund_id');
    expect(fieldOf(() => parseRefundResponse(buildSignedRefundResponse({ refund_fee: '30.00' }, { signType: 'MD5' }), md5Merchant))).toBe('FIELD_INVALID refund_fee');
  });

  it('result_code=FAIL is a WxPayResultError carrying err_code; return_code=FAIL a WxPayReturnError', () => {
    const err = errorOf(() => parseRefundResponse(buildSignedRefundFailResponse('NOTENOUGH', '基本账户余额不足', { signType: 'MD5' }), md5Merchant));
    expect(err).toBeInstanceOf(WxPayResultError);
    expect((err as WxPayResultError).errCode).toBe('NOTENOUGH');
    const ret = errorOf(() => parseRefundResponse(buildXml({ return_code: 'FAIL', return_msg: '证书已作废' }), md5Merchant));
    expect(ret).toBeInstanceOf(WxPayReturnError);
  });
});

describe('classifyRefundError', () => {
  it('follows the official err_code table', () => {
    const table: Record<string, string> = {
      SYSTEMERROR: 'retry_same_out_refund_no',
      BIZERR_NEED_RETRY: 'retry_same_out_refund_no',
      FREQUENCY_LIMITED: 'retry_later_same_out_refund_no',
      INVALID_REQ_TOO_MUCH: 'retry_later_same_out_refund_no',
      NOTENOUGH: 'retry_later_same_out_refund_no',
      TRADE_OVERDUE: 'refused',
      USER_ACCOUNT_ABNORMAL: 'refused',
      INVALID_TRANSACTIONID: 'refused',
      PARAM_ERROR: 'refused',
      APPID_NOT_EXIST: 'refused',
      MCHID_NOT_EXIST: 'refused',
      ORDERNOTEXIST: 'refused',
      REQUIRE_POST_METHOD: 'refused',
      SIGNERROR: 'refused',
      XML_FORMAT_ERROR: 'refused',
      ERROR: 'refused',
    };
    for (const [errCode, expected] of Object.entries(table)) expect([errCode, classifyRefundError(errCode)]).toEqual([errCode, expected]);
  });

  it('unknown codes, empty codes and object internals are refused (nothing was refunded; a person decides)', () => {
    for (const code of ['SOMETHING_NEW', '', 'toString', '__proto__', 'constructor', 'systemerror']) expect(classifyRefundError(code)).toBe('refused');
  });

  it('classifyRefundFailure: by err_code, return_code FAIL refused, everything unverifiable outcome_unknown', () => {
    const fail = (code: string): unknown => errorOf(() => parseRefundResponse(buildSignedRefundFailResponse(code, 'd', { signType: 'MD5' }), md5Merchant));
    expect(classifyRefundFailure(fail('BIZERR_NEED_RETRY'))).toBe('retry_same_out_refund_no');
    expect(classifyRefundFailure(fail('FREQUENCY_LIMITED'))).toBe('retry_later_same_out_refund_no');
    expect(classifyRefundFailure(fail('TRADE_OVERDUE'))).toBe('refused');
    expect(classifyRefundFailure(new WxPayReturnError('证书已作废'))).toBe('refused');
    expect(classifyRefundFailure(new WxPayConnectionError('timeout'))).toBe('outcome_unknown');
    const badSign = errorOf(() => parseRefundResponse(buildSignedRefundResponse({}, { signType: 'MD5', apiKey: 'another-key-0000000000000000000x' }), md5Merchant));
    expect(classifyRefundFailure(badSign)).toBe('outcome_unknown');
    expect(classifyRefundFailure(errorOf(() => parseRefundResponse('<xml><return_code>SUCC', md5Merchant)))).toBe('outcome_unknown');
    expect(classifyRefundFailure(new TypeError('x'))).toBe('outcome_unknown');
  });
});
