import { describe, expect, it } from 'vitest';
import { errorOf } from '../testing/caught-error';
import { buildSignedNotification, devMerchant, officialVectors } from '../testing';
import { WxPayReturnError, WxPaySignatureError, WxPayValidationError } from './errors';
import { buildNotifyAck, buildNotifyFailAck, isNotifyAck, parsePayNotification } from './pay-notification';
import { buildXml, parseXml } from './xml-codec';

const key = { apiKey: devMerchant.apiKey };

describe('parsePayNotification', () => {
  it('maps a verified MD5 notification', () => {
    const n = parsePayNotification(buildSignedNotification({}, { apiKey: devMerchant.apiKey, signType: 'MD5' }), key);
    expect(n).toMatchObject({
      outcome: 'SUCCESS',
      appId: devMerchant.appId,
      mchId: devMerchant.mchId,
      outTradeNo: 'T20251125161500000001',
      transactionId: '4200002345202511251234567890',
      totalFee: 9900,
      cashFee: 9900,
      openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      timeEnd: '20251125161500',
      bankType: 'CMC',
      coupons: [],
      signType: 'MD5',
    });
    expect(n.errCode).toBeUndefined();
    expect(n.settlementTotalFee).toBeUndefined();
    expect(n.fields.fee_type).toBe('CNY');
  });

  it('verifies an HMAC-SHA256 notification that omits sign_type', () => {
    const xml = buildSignedNotification({}, { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256', omitSignType: true });
    expect(parseXml(xml).sign_type).toBeUndefined();
    expect(parsePayNotification(xml, key).signType).toBe('HMAC-SHA256');
  });

  it('keeps and verifies coupon fields', () => {
    const coupons = [
      { id: '10000', type: 'NO_CASH' as const, fee: 100 },
      { id: '10001', fee: 50 },
    ];
    const xml = buildSignedNotification({}, { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256', coupons });
    const n = parsePayNotification(xml, key);
    expect(n.coupons).toEqual([
      { id: '10000', type: 'NO_CASH', fee: 100 },
      { id: '10001', fee: 50 },
    ]);
    expect(n.totalFee).toBe(9900);
    expect(n.cashFee).toBe(9750);
    expect(n.settlementTotalFee).toBe(9800);
    expect(n.fields.coupon_fee).toBe('150');
    // Dropping or changing a coupon field breaks the signature.
    expect(errorOf(() => parsePayNotification(xml.replace('<coupon_fee_1>50</coupon_fee_1>', '<coupon_fee_1>5000</coupon_fee_1>'), key))).toBeInstanceOf(WxPaySignatureError);
    expect(errorOf(() => parsePayNotification(xml.replace('<coupon_id_1>10001</coupon_id_1>', ''), key))).toBeInstanceOf(WxPaySignatureError);
  });

  it("accepts the seed example's coupon shape (coupon_id and coupon_type without the index) and notes it", () => {
    const xml = buildSignedNotification(
      { cash_fee: '9890', coupon_fee: '10', coupon_count: '1', coupon_type: 'CASH', coupon_id: '10000' },
      { apiKey: devMerchant.apiKey, signType: 'MD5' },
    );
    const n = parsePayNotification(xml, key);
    expect(n.outcome).toBe('SUCCESS');
    expect(n.coupons).toEqual([{ id: '10000', type: 'CASH', fee: 10 }]);
    expect(n.unexpectedShapes).toEqual(['coupon_id', 'coupon_type']);
    expect(n.fields.coupon_id).toBe('10000');
  });

  it('never refuses a signed notification for the shape of an optional field', () => {
    const shapes: [Record<string, string>, string[]][] = [
      [{ coupon_count: 'two' }, ['coupon_count']],
      [{ coupon_count: '2', coupon_id_0: '1', coupon_fee_0: '5' }, ['coupon_1']],
      [{ coupon_count: '1', coupon_id_0: '1', coupon_fee_0: '5.5' }, ['coupon_0']],
      [{ settlement_total_fee: '98.00' }, ['settlement_total_fee']],
      [{ promotion_detail: '{"promotion_id":"1"}', brand_new_2031: 'x' }, []],
    ];
    for (const [extra, unexpected] of shapes) {
      const n = parsePayNotification(buildSignedNotification(extra, { apiKey: devMerchant.apiKey, signType: 'MD5' }), key);
      expect(n.outcome).toBe('SUCCESS');
      expect(n.unexpectedShapes, JSON.stringify(extra)).toEqual(unexpected);
    }
  });

  it('unknown extension fields are part of the signature', () => {
    const xml = buildSignedNotification({ promotion_detail: '[{"x":1}]', new_field_2030: 'v' }, { apiKey: devMerchant.apiKey, signType: 'MD5' });
    expect(parsePayNotification(xml, key).fields.new_field_2030).toBe('v');
    expect(errorOf(() => parsePayNotification(xml.replace('</xml>', '<injected>1</injected></xml>'), key))).toBeInstanceOf(WxPaySignatureError);
  });

  it('a verified result_code=FAIL is a failed payment', () => {
    const xml = buildSignedNotification(
      { result_code: 'FAIL', err_code: 'PAYERROR', err_code_des: '支付失败', transaction_id: undefined, cash_fee: undefined, time_end: undefined },
      { apiKey: devMerchant.apiKey, signType: 'MD5' },
    );
    const n = parsePayNotification(xml, key);
    expect(n).toMatchObject({ outcome: 'FAIL', errCode: 'PAYERROR', errCodeDes: '支付失败', transactionId: '', cashFee: 0, timeEnd: '' });
  });

  it('refuses tampered amounts, wrong keys, contradicting sign_type, missing or duplicate sign', () => {
    const xml = buildSignedNotification({}, { apiKey: devMerchant.apiKey, signType: 'MD5' });
    expect(errorOf(() => parsePayNotification(xml.replace('<total_fee>9900</total_fee>', '<total_fee>1</total_fee>'), key)).code).toBe('SIGN_INVALID');
    expect(errorOf(() => parsePayNotification(xml, { apiKey: 'another0key000000000000000000000' })).code).toBe('SIGN_INVALID');
    expect(errorOf(() => parsePayNotification(xml.replace('<sign_type>MD5</sign_type>', '<sign_type>HMAC-SHA256</sign_type>'), key)).code).toBe('SIGN_TYPE_MISMATCH');
    expect(errorOf(() => parsePayNotification(xml.replace(/<sign>[0-9A-F]+<\/sign>/, ''), key)).code).toBe('SIGN_MISSING');
    expect(errorOf(() => parsePayNotification(xml.replace(/<sign>[0-9A-F]+<\/sign>/, '<sign></sign>'), key)).code).toBe('SIGN_MISSING');
    const sign = /<sign>([0-9A-F]+)<\/sign>/.exec(xml)?.[1] ?? '';
    expect(errorOf(() => parsePayNotification(xml.replace('</xml>', `<sign>${sign}</sign></xml>`), key)).code).toBe('XML_DUPLICATE_FIELD');
  });

  it('refuses a signed notification with non-integer fees or no out_trade_no', () => {
    const sign = (o: Record<string, string | undefined>) => buildSignedNotification(o, { apiKey: devMerchant.apiKey, signType: 'MD5' });
    expect(errorOf(() => parsePayNotification(sign({ total_fee: '99.00' }), key))).toBeInstanceOf(WxPayValidationError);
    expect(errorOf(() => parsePayNotification(sign({ out_trade_no: undefined }), key)).code).toBe('FIELD_MISSING');
    expect(errorOf(() => parsePayNotification(sign({ result_code: 'PENDING' }), key)).code).toBe('FIELD_INVALID');
  });

  it('return_code=FAIL is a WxPayReturnError; XML attacks are WxPayXmlErrors', () => {
    expect(errorOf(() => parsePayNotification(buildXml({ return_code: 'FAIL', return_msg: 'x' }), key))).toBeInstanceOf(WxPayReturnError);
    expect(errorOf(() => parsePayNotification('<!DOCTYPE x [<!ENTITY a "b">]><xml></xml>', key)).code).toBe('XML_DOCTYPE_FORBIDDEN');
  });
});

describe('acks', () => {
  it('the SUCCESS ack is exactly the official one', () => {
    expect(buildNotifyAck()).toBe(officialVectors.notificationAck);
    expect(isNotifyAck(officialVectors.notificationAck)).toBe(true);
  });

  it('a FAIL ack parses to FAIL with the message and is not an ack', () => {
    const ack = buildNotifyFailAck('签名失败 <bad>');
    expect({ ...parseXml(ack) }).toEqual({ return_code: 'FAIL', return_msg: '签名失败 <bad>' });
    expect(isNotifyAck(ack)).toBe(false);
  });

  it('isNotifyAck accepts equivalent SUCCESS XML and refuses anything else', () => {
    expect(isNotifyAck('<xml>\n<return_code>SUCCESS</return_code>\n</xml>')).toBe(true);
    expect(isNotifyAck('SUCCESS')).toBe(false);
    expect(isNotifyAck('')).toBe(false);
    expect(isNotifyAck('<xml><return_code>SUCCESS</return_code>')).toBe(false);
    expect(isNotifyAck('{"code":"SUCCESS"}')).toBe(false);
  });
});
