import { describe, expect, it } from 'vitest';
import { errorOf } from '../testing/caught-error';
import { buildEncryptedRefundNotification, devMerchant, officialVectors, refundFixtureDefaults, refundReqInfoVectors } from '../testing';
import { WxPayCryptoError, WxPayReturnError, WxPayValidationError } from './errors';
import { isNotifyAck } from './pay-notification';
import {
  buildRefundNotification,
  buildRefundNotifyAck,
  buildRefundNotifyFailAck,
  buildRefundReqInfoXml,
  checkRefundNotificationMatches,
  parseRefundNotification,
} from './refund-notification';
import { decryptRefundReqInfo, encryptRefundReqInfo } from './refund-req-info-cipher';
import { buildXml, parseXml } from './xml-codec';

const merchant = { appId: devMerchant.appId, mchId: devMerchant.mchId, apiKey: devMerchant.apiKey };
const full = refundReqInfoVectors.req_info_full;
/** The official example's outer fields around the vector's req_info. */
const vectorMerchant = { appId: 'wx2421b1c4370ec43b', mchId: '10000100', apiKey: full.api_v2_key };
const vectorBody = (reqInfo = full.req_info): string =>
  buildXml({ return_code: 'SUCCESS', appid: vectorMerchant.appId, mch_id: vectorMerchant.mchId, nonce_str: 'TeqClE3i0mvn3DrK', req_info: reqInfo });

const codeOf = (fn: () => unknown): string => {
  const err = errorOf(fn);
  return `${err.constructor.name} ${err.code}${err instanceof WxPayValidationError ? ` ${err.field}` : ''}`;
};

describe('parseRefundNotification: known-answer vector', () => {
  it('decrypts and maps the req_info vector (expected values copied from its plaintext)', () => {
    const n = parseRefundNotification(vectorBody(), vectorMerchant);
    expect(n).toMatchObject({
      appId: 'wx2421b1c4370ec43b',
      mchId: '10000100',
      transactionId: '4200000215201811190261405420',
      outTradeNo: '71106718111915575302817',
      refundId: '50000408942018111907145868882',
      outRefundNo: '131811191610442717309',
      totalFee: 3960,
      settlementTotalFee: 3960,
      refundFee: 3960,
      settlementRefundFee: 3960,
      refundStatus: 'SUCCESS',
      successTime: '2018-11-19 16:24:13',
      refundRecvAccount: '支付用户零钱',
      refundAccount: 'REFUND_SOURCE_RECHARGE_FUNDS',
      refundRequestSource: 'API',
    });
    expect(Object.keys(n.reqInfo)).toHaveLength(13);
    expect(n.fields.nonce_str).toBe('TeqClE3i0mvn3DrK');
  });

  it('the same body with another APIv2 key is refused as a decryption failure', () => {
    expect(codeOf(() => parseRefundNotification(vectorBody(), { ...vectorMerchant, apiKey: devMerchant.apiKey }))).toBe('WxPayCryptoError DECRYPT_FAILED');
  });

  it('tampered ciphertext is refused: a flipped bit, a cut-and-pasted (swapped) ECB block, a dropped block', () => {
    const bytes = Buffer.from(full.req_info, 'base64');
    const flipped = Buffer.from(bytes);
    flipped[40] = (flipped[40] ?? 0) ^ 0x80;
    const swapped = Buffer.concat([bytes.subarray(0, 32), bytes.subarray(48, 64), bytes.subarray(32, 48), bytes.subarray(64)]);
    const dropped = Buffer.concat([bytes.subarray(0, 16), bytes.subarray(32)]);
    for (const tampered of [flipped, swapped, dropped]) {
      const err = errorOf(() => parseRefundNotification(vectorBody(tampered.toString('base64')), vectorMerchant));
      expect(err).toBeInstanceOf(WxPayCryptoError);
      expect(err.code).toBe('DECRYPT_FAILED');
    }
  });
});

describe('parseRefundNotification', () => {
  it('reads what the fixture builder encrypts with the dev merchant key', () => {
    const n = parseRefundNotification(buildEncryptedRefundNotification({ refund_fee: '3000' }), merchant);
    expect(n).toMatchObject({ outRefundNo: refundFixtureDefaults.outRefundNo, refundFee: 3000, settlementRefundFee: 3000, totalFee: 9900, refundStatus: 'SUCCESS' });
    expect(n.settlementTotalFee).toBeUndefined();
  });

  it.each(['CHANGE', 'REFUNDCLOSE'] as const)('keeps the outcome %s (success_time absent)', (status) => {
    const n = parseRefundNotification(buildEncryptedRefundNotification({ refund_status: status, success_time: undefined }), merchant);
    expect(n.refundStatus).toBe(status);
    expect(n.successTime).toBeUndefined();
  });

  it('refuses PROCESSING (not an outcome) and unknown statuses', () => {
    expect(codeOf(() => parseRefundNotification(buildEncryptedRefundNotification({ refund_status: 'PROCESSING' }), merchant))).toBe('WxPayValidationError FIELD_INVALID refund_status');
    expect(codeOf(() => parseRefundNotification(buildEncryptedRefundNotification({ refund_status: 'FAIL' }), merchant))).toBe('WxPayValidationError FIELD_INVALID refund_status');
    expect(codeOf(() => parseRefundNotification(buildEncryptedRefundNotification({ refund_status: undefined }), merchant))).toBe('WxPayValidationError FIELD_MISSING refund_status');
  });

  it('refuses amounts that cannot belong together', () => {
    const bad = (reqInfo: Record<string, string | undefined>): string => codeOf(() => parseRefundNotification(buildEncryptedRefundNotification(reqInfo), merchant));
    expect(bad({ refund_fee: '9901' })).toBe('WxPayValidationError FIELD_INVALID refund_fee');
    expect(bad({ refund_fee: '0' })).toBe('WxPayValidationError FIELD_INVALID refund_fee');
    expect(bad({ refund_fee: '3000', settlement_refund_fee: '3001' })).toBe('WxPayValidationError FIELD_INVALID settlement_refund_fee');
    expect(bad({ settlement_total_fee: '9901' })).toBe('WxPayValidationError FIELD_INVALID settlement_total_fee');
    expect(bad({ total_fee: '99.00' })).toBe('WxPayValidationError FIELD_INVALID total_fee');
    expect(bad({ out_refund_no: undefined })).toBe('WxPayValidationError FIELD_MISSING out_refund_no');
    expect(bad({ settlement_refund_fee: undefined })).toBe('WxPayValidationError FIELD_MISSING settlement_refund_fee');
    expect(bad({ success_time: '2025/11/26 10:00:05' })).toBe('WxPayValidationError FIELD_INVALID success_time');
  });

  it('tolerates missing display fields (refund_recv_accout, refund_account, refund_request_source)', () => {
    const n = parseRefundNotification(buildEncryptedRefundNotification({ refund_recv_accout: undefined, refund_account: undefined, refund_request_source: undefined }), merchant);
    expect([n.refundRecvAccount, n.refundAccount, n.refundRequestSource]).toEqual([undefined, undefined, undefined]);
  });

  it('checks the outer envelope: return_code, our appid and mch_id, a req_info', () => {
    const outer = (fields: Record<string, string | undefined>): string => codeOf(() => parseRefundNotification(buildEncryptedRefundNotification({}, { outer: fields }), merchant));
    expect(outer({ return_code: 'FAIL', return_msg: 'x' })).toBe('WxPayReturnError RETURN_FAIL');
    expect(outer({ return_code: undefined })).toBe('WxPayValidationError FIELD_INVALID return_code');
    expect(outer({ appid: 'wx0000000000000000' })).toBe('WxPayValidationError MERCHANT_MISMATCH appid');
    expect(outer({ mch_id: '1900000999' })).toBe('WxPayValidationError MERCHANT_MISMATCH mch_id');
    expect(outer({ req_info: undefined })).toBe('WxPayValidationError FIELD_MISSING req_info');
    expect(outer({ req_info: 'not base64!' })).toBe('WxPayCryptoError DECRYPT_FAILED');
    expect(() => parseRefundNotification('<xml><return_code>SUCCESS', merchant)).toThrow();
    expect(errorOf(() => parseRefundNotification(buildEncryptedRefundNotification({}, { outer: { return_code: 'FAIL', return_msg: 'x' } }), merchant))).toBeInstanceOf(WxPayReturnError);
  });

  it('refuses a plaintext that decrypts but is not a flat document (also the rare wrong key that passes the padding check)', () => {
    const body = (plaintext: string): string =>
      buildXml({ return_code: 'SUCCESS', appid: merchant.appId, mch_id: merchant.mchId, nonce_str: 'n', req_info: encryptRefundReqInfo(plaintext, merchant.apiKey) });
    for (const plaintext of ['not xml', '<root><a>1</a>', '<root><a><b>1</b></a></root>', '<other><a>1</a></other>', '<root><a>1</a></root><root></root>']) {
      expect(codeOf(() => parseRefundNotification(body(plaintext), merchant))).toBe('WxPayCryptoError DECRYPT_FAILED');
    }
    // A declaration before <root>, and an <xml> root, are both read.
    const decl = buildRefundReqInfoXml({ ...decryptFixture(), refund_fee: '1', settlement_refund_fee: '1' });
    expect(parseRefundNotification(body(`<?xml version="1.0" encoding="UTF-8"?>\n${decl}`), merchant).refundFee).toBe(1);
    expect(parseRefundNotification(body(buildXml(decryptFixture())), merchant).refundFee).toBe(9900);
  });
});

/** The fixture's decrypted fields, read back through the cipher. */
function decryptFixture(): Record<string, string> {
  const reqInfo = parseXml(buildEncryptedRefundNotification()).req_info ?? '';
  const plain = decryptRefundReqInfo(reqInfo, devMerchant.apiKey);
  return parseXml(`<xml>${plain.slice('<root>'.length, -'</root>'.length)}</xml>`);
}

describe('checkRefundNotificationMatches', () => {
  const n = parseRefundNotification(buildEncryptedRefundNotification({ refund_fee: '3000' }), merchant);
  const stored = { outRefundNo: refundFixtureDefaults.outRefundNo, refundFee: 3000, totalFee: 9900 };

  it('passes for the stored refund, optional ids included', () => {
    expect(() => checkRefundNotificationMatches(n, { ...stored, outTradeNo: refundFixtureDefaults.outTradeNo, transactionId: refundFixtureDefaults.transactionId, refundId: refundFixtureDefaults.refundId })).not.toThrow();
  });

  it.each([
    ['out_refund_no', { outRefundNo: 'R-other' }],
    ['refund_fee', { refundFee: 2999 }],
    ['total_fee', { totalFee: 10000 }],
    ['out_trade_no', { outTradeNo: 'T-other' }],
    ['transaction_id', { transactionId: '4200000000000000000000000000' }],
    ['refund_id', { refundId: '5000' }],
  ])('refuses another %s', (field, change) => {
    expect(codeOf(() => checkRefundNotificationMatches(n, { ...stored, ...change }))).toBe(`WxPayValidationError FIELD_INVALID ${field}`);
  });
});

describe('refund notification builder and acks', () => {
  it('buildRefundNotification encrypts a <root> document that the parser reads back', () => {
    const xml = buildRefundNotification({ appId: merchant.appId, mchId: merchant.mchId, nonceStr: 'abc', reqInfo: { ...decryptFixture(), out_refund_no: 'R9' } }, merchant.apiKey);
    const outer = parseXml(xml);
    expect(Object.keys(outer)).toEqual(['return_code', 'appid', 'mch_id', 'nonce_str', 'req_info']);
    expect(outer.sign).toBeUndefined();
    expect(decryptRefundReqInfo(outer.req_info ?? '', merchant.apiKey)).toMatch(/^<root><out_refund_no>R9<\/out_refund_no>.*<\/root>$/s);
    expect(parseRefundNotification(xml, merchant).outRefundNo).toBe('R9');
  });

  it('buildRefundReqInfoXml escapes like buildXml', () => {
    expect(buildRefundReqInfoXml({ a: 'x]]>y', b: '1' })).toBe('<root><a><![CDATA[x]]]]><![CDATA[>y]]></a><b>1</b></root>');
  });

  it('acknowledges with the exact SUCCESS/OK XML; FAIL acks make WeChat retry', () => {
    expect(buildRefundNotifyAck()).toBe(officialVectors.notificationAck);
    expect(isNotifyAck(buildRefundNotifyFailAck('busy'))).toBe(false);
    expect(parseXml(buildRefundNotifyFailAck('busy'))).toMatchObject({ return_code: 'FAIL', return_msg: 'busy' });
  });
});
