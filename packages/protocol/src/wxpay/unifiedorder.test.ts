import { describe, expect, it } from 'vitest';
import { errorOf } from '../testing/caught-error';
import { buildSignedV2Response, devMerchant } from '../testing';
import { WxPayResultError, WxPayReturnError, WxPaySignatureError, WxPayValidationError } from './errors';
import type { V2Merchant } from './merchant';
import { buildUnifiedOrderRequest, parseUnifiedOrderResponse, type UnifiedOrderInput } from './unifiedorder';
import { serializeGoodsDetail } from './goods-detail';
import { verifyV2 } from './v2-sign';
import { buildXml, parseXml } from './xml-codec';

const md5Merchant: V2Merchant = { appId: devMerchant.appId, mchId: devMerchant.mchId, apiKey: devMerchant.apiKey, signType: 'MD5' };
const hmacMerchant: V2Merchant = { ...md5Merchant, signType: 'HMAC-SHA256' };
const nonce = '5K8264ILTKCH16CQ2502SI8ZNMTM67VS';

const order: UnifiedOrderInput = {
  body: '示例电器旗舰店-空调 <1.5匹> & "新"',
  outTradeNo: 'T20251125-0001|a*b_c',
  totalFee: 9900,
  spbillCreateIp: '127.0.0.1',
  notifyUrl: 'https://shop.example.com/wxpay/notify',
  openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
};

describe('buildUnifiedOrderRequest', () => {
  it('builds a signed JSAPI request whose XML carries exactly the signed fields', () => {
    const { fields, xml } = buildUnifiedOrderRequest({ ...order, timeStart: '20251125161500', timeExpire: '20251125163500', attach: 'a' }, md5Merchant, nonce);
    expect({ ...fields, sign: undefined }).toEqual({
      appid: devMerchant.appId,
      mch_id: devMerchant.mchId,
      nonce_str: nonce,
      body: order.body,
      out_trade_no: order.outTradeNo,
      total_fee: '9900',
      fee_type: 'CNY',
      spbill_create_ip: '127.0.0.1',
      notify_url: order.notifyUrl,
      trade_type: 'JSAPI',
      openid: order.openid,
      time_start: '20251125161500',
      time_expire: '20251125163500',
      attach: 'a',
      sign: undefined,
    });
    expect({ ...parseXml(xml) }).toEqual(fields);
    expect(verifyV2(parseXml(xml), md5Merchant.apiKey)).toBe('MD5');
    expect(fields.sign_type).toBeUndefined();
  });

  it('HMAC-SHA256 merchants send and sign sign_type', () => {
    const { fields } = buildUnifiedOrderRequest(order, hmacMerchant, nonce);
    expect(fields.sign_type).toBe('HMAC-SHA256');
    expect(fields.sign).toHaveLength(64);
    expect(verifyV2(fields, hmacMerchant.apiKey)).toBe('HMAC-SHA256');
  });

  it('takes a body of exactly 127 UTF-8 bytes', () => {
    for (const body of ['a'.repeat(127), `${'长'.repeat(42)}a`]) {
      expect(buildUnifiedOrderRequest({ ...order, body }, md5Merchant, nonce).fields.body).toBe(body);
    }
  });

  it('leaves optional fields out instead of sending them empty', () => {
    const { fields } = buildUnifiedOrderRequest(order, md5Merchant, nonce);
    for (const name of ['time_start', 'time_expire', 'attach', 'goods_tag', 'detail']) expect(name in fields).toBe(false);
  });

  it.each([
    ['out_trade_no with a bad character', { outTradeNo: 'T#1' }, 'FIELD_INVALID'],
    ['out_trade_no of 33 characters', { outTradeNo: 'x'.repeat(33) }, 'FIELD_INVALID'],
    ['empty out_trade_no', { outTradeNo: '' }, 'FIELD_MISSING'],
    ['total_fee 0', { totalFee: 0 }, 'FIELD_INVALID'],
    ['fractional total_fee', { totalFee: 99.5 }, 'FIELD_INVALID'],
    ['string total_fee', { totalFee: '9900' as unknown as number }, 'FIELD_INVALID'],
    ['body of 128 ASCII bytes', { body: 'a'.repeat(128) }, 'FIELD_INVALID'],
    ['body of 43 Chinese characters (129 bytes)', { body: '长'.repeat(43) }, 'FIELD_INVALID'],
    ['body of 32 emoji (128 bytes)', { body: '😀'.repeat(32) }, 'FIELD_INVALID'],
    ['notify_url with a query string', { notifyUrl: 'https://shop.example.com/notify?order=1' }, 'FIELD_INVALID'],
    ['notify_url that is not a URL', { notifyUrl: 'notify' }, 'FIELD_INVALID'],
    ['missing openid', { openid: '' }, 'FIELD_MISSING'],
    ['bad ip', { spbillCreateIp: 'localhost' }, 'FIELD_INVALID'],
    ['ip-shaped but not an address', { spbillCreateIp: '1.2.3' }, 'FIELD_INVALID'],
    ['impossible time_expire', { timeExpire: '20250230120000' }, 'FIELD_INVALID'],
    ['time_expire before time_start', { timeStart: '20251125161500', timeExpire: '20251125161000' }, 'FIELD_INVALID'],
  ])('refuses %s', (_label, patch, code) => {
    const err = errorOf(() => buildUnifiedOrderRequest({ ...order, ...patch }, md5Merchant, nonce));
    expect(err).toBeInstanceOf(WxPayValidationError);
    expect(err.code).toBe(code);
  });

  it('refuses a nonce_str longer than 32 characters', () => {
    expect(errorOf(() => buildUnifiedOrderRequest(order, md5Merchant, 'x'.repeat(33))).code).toBe('FIELD_INVALID');
  });
});

const success = {
  return_code: 'SUCCESS',
  return_msg: 'OK',
  appid: devMerchant.appId,
  mch_id: devMerchant.mchId,
  nonce_str: 'IITRi8Iabbblz1Jc',
  result_code: 'SUCCESS',
  prepay_id: 'wx201411101639507cbf6ffd8b0779950874',
  trade_type: 'JSAPI',
};

describe('parseUnifiedOrderResponse', () => {
  it('returns the prepay_id of a verified MD5 or HMAC-SHA256 response', () => {
    for (const signType of ['MD5', 'HMAC-SHA256'] as const) {
      const result = parseUnifiedOrderResponse(buildSignedV2Response(success, devMerchant.apiKey, signType), md5Merchant);
      expect(result.prepayId).toBe(success.prepay_id);
      expect(result.tradeType).toBe('JSAPI');
      expect(result.raw.nonce_str).toBe(success.nonce_str);
    }
  });

  it('return_code=FAIL → WxPayReturnError with return_msg (unsigned body)', () => {
    const err = errorOf(() => parseUnifiedOrderResponse(buildXml({ return_code: 'FAIL', return_msg: '签名错误' }), md5Merchant));
    expect(err).toBeInstanceOf(WxPayReturnError);
    expect((err as WxPayReturnError).returnMsg).toBe('签名错误');
  });

  it('result_code=FAIL → WxPayResultError with err_code, retryable for SYSTEMERROR only', () => {
    const fail = { ...success, result_code: 'FAIL', err_code: 'ORDERPAID', err_code_des: '商户订单已支付', prepay_id: '' };
    const err = errorOf(() => parseUnifiedOrderResponse(buildSignedV2Response(fail, devMerchant.apiKey, 'MD5'), md5Merchant));
    expect(err).toBeInstanceOf(WxPayResultError);
    expect((err as WxPayResultError).errCode).toBe('ORDERPAID');
    expect((err as WxPayResultError).retryable).toBe(false);
    const sys = { ...fail, err_code: 'SYSTEMERROR', err_code_des: '系统错误' };
    expect((errorOf(() => parseUnifiedOrderResponse(buildSignedV2Response(sys, devMerchant.apiKey, 'MD5'), md5Merchant)) as WxPayResultError).retryable).toBe(true);
  });

  it('an unsigned or tampered SUCCESS (or FAIL) result is a signature error, not a result', () => {
    expect(errorOf(() => parseUnifiedOrderResponse(buildXml(success), md5Merchant)).code).toBe('SIGN_MISSING');
    const tampered = buildSignedV2Response(success, devMerchant.apiKey, 'MD5').replace(success.prepay_id, 'wx_attacker_prepay');
    expect(errorOf(() => parseUnifiedOrderResponse(tampered, md5Merchant))).toBeInstanceOf(WxPaySignatureError);
    const unsignedFail = buildXml({ ...success, result_code: 'FAIL', err_code: 'ORDERPAID' });
    expect(errorOf(() => parseUnifiedOrderResponse(unsignedFail, md5Merchant))).toBeInstanceOf(WxPaySignatureError);
  });

  it('a response for another appid or mch_id is refused', () => {
    const other = buildSignedV2Response({ ...success, appid: 'wx0000000000000000' }, devMerchant.apiKey, 'MD5');
    expect(errorOf(() => parseUnifiedOrderResponse(other, md5Merchant)).code).toBe('MERCHANT_MISMATCH');
    const otherMch = buildSignedV2Response({ ...success, mch_id: '1230000109' }, devMerchant.apiKey, 'MD5');
    expect(errorOf(() => parseUnifiedOrderResponse(otherMch, md5Merchant)).code).toBe('MERCHANT_MISMATCH');
  });

  it('a SUCCESS without prepay_id or with an unknown return_code is refused', () => {
    const noPrepay = buildSignedV2Response({ ...success, prepay_id: '' }, devMerchant.apiKey, 'MD5');
    expect(errorOf(() => parseUnifiedOrderResponse(noPrepay, md5Merchant)).code).toBe('FIELD_MISSING');
    expect(errorOf(() => parseUnifiedOrderResponse('<xml><return_msg>x</return_msg></xml>', md5Merchant)).code).toBe('FIELD_MISSING');
  });

  it('bad XML is a WxPayXmlError', () => {
    expect(errorOf(() => parseUnifiedOrderResponse('<html>502 Bad Gateway</html>', md5Merchant)).name).toBe('WxPayXmlError');
  });
});

describe('unifiedorder merchant fields', () => {
  const store = { id: 'SZTX001', name: '腾大餐厅', areaCode: '440305', address: '科技园中一路腾讯大厦' };
  const detail = serializeGoodsDetail({ goods: [{ goodsId: 'iphone6s_16G', wxpayGoodsId: '1001', goodsName: 'iPhone6s 16G', quantity: 1, price: 528800 }] });

  it('sends device_info, limit_pay, receipt, profit_sharing, scene_info and detail as the table names them', () => {
    const { fields, xml } = buildUnifiedOrderRequest(
      { ...order, deviceInfo: '013467007045764', limitPay: 'no_credit', receipt: 'Y', profitSharing: 'N', sceneInfo: { storeInfo: store }, detail, goodsTag: 'WXG' },
      md5Merchant,
      nonce,
    );
    expect(fields).toMatchObject({ device_info: '013467007045764', limit_pay: 'no_credit', receipt: 'Y', profit_sharing: 'N', goods_tag: 'WXG', detail });
    expect(JSON.parse(fields.scene_info ?? '')).toEqual({ store_info: { id: 'SZTX001', name: '腾大餐厅', area_code: '440305', address: '科技园中一路腾讯大厦' } });
    expect(JSON.parse(detail)).toEqual({ goods_detail: [{ goods_id: 'iphone6s_16G', wxpay_goods_id: '1001', goods_name: 'iPhone6s 16G', quantity: 1, price: 528800 }] });
    expect(verifyV2(parseXml(xml), md5Merchant.apiKey)).toBe('MD5');
  });

  it('takes the XML example detail of the field table as given', () => {
    const example =
      '{ "goods_detail":[ { "goods_id":"iphone6s_16G", "wxpay_goods_id":"1001", "goods_name":"iPhone6s 16G", "quantity":1, "price":528800, "goods_category":"123456", "body":"苹果手机" } ] }';
    expect(buildUnifiedOrderRequest({ ...order, detail: example }, md5Merchant, nonce).fields.detail).toBe(example);
  });

  it.each([
    ['lower-case profit_sharing', { profitSharing: 'y' as 'Y' }],
    ['receipt N (only Y is documented)', { receipt: 'N' as 'Y' }],
    ['limit_pay other than no_credit', { limitPay: 'credit' as 'no_credit' }],
    ['device_info of 33 characters', { deviceInfo: 'x'.repeat(33) }],
    ['device_info with a space', { deviceInfo: 'POS 1' }],
    ['area_code of 5 digits', { sceneInfo: { storeInfo: { ...store, areaCode: '44030' } } }],
    ['store name over 64 bytes', { sceneInfo: { storeInfo: { ...store, name: '店'.repeat(22) } } }],
    ['store without address', { sceneInfo: { storeInfo: { ...store, address: '' } } }],
    ['detail that is not JSON', { detail: '{goods_detail:' }],
    ['detail wrapped in an array', { detail: `[${detail}]` }],
    ['detail with an undocumented member', { detail: '{"goods_detail":[{"goods_id":"a","quantity":1,"price":1,"colour":"red"}]}' }],
    ['detail line without price', { detail: '{"goods_detail":[{"goods_id":"a","quantity":1}]}' }],
    ['detail line with a fractional price', { detail: '{"goods_detail":[{"goods_id":"a","quantity":1,"price":1.5}]}' }],
    ['detail line with a string quantity', { detail: '{"goods_detail":[{"goods_id":"a","quantity":"1","price":1}]}' }],
    ['detail with no lines', { detail: '{"goods_detail":[]}' }],
    ['detail over 6000 bytes', { detail: `{"goods_detail":[{"goods_id":"a","quantity":1,"price":1,"body":"${'x'.repeat(6000)}"}]}` }],
  ])('refuses %s', (_label, patch) => {
    const err = errorOf(() => buildUnifiedOrderRequest({ ...order, ...patch }, md5Merchant, nonce));
    expect(err).toBeInstanceOf(WxPayValidationError);
    expect(err.code).toBe('FIELD_INVALID');
  });

  it('refuses an empty device_info as missing rather than sending it empty', () => {
    expect(errorOf(() => buildUnifiedOrderRequest({ ...order, deviceInfo: '' }, md5Merchant, nonce)).code).toBe('FIELD_MISSING');
  });

  it('takes a store whose name is exactly 64 bytes (21 Chinese characters and one letter)', () => {
    const sceneInfo = { storeInfo: { ...store, name: `${'店'.repeat(21)}a` } };
    expect(buildUnifiedOrderRequest({ ...order, sceneInfo }, md5Merchant, nonce).fields.scene_info).toContain('店');
  });

  it('refuses scene_info whose JSON exceeds 256 bytes though every member fits', () => {
    const sceneInfo = { storeInfo: { id: 'x'.repeat(32), name: '店'.repeat(21), areaCode: '440305', address: '路'.repeat(42) } };
    expect(errorOf(() => buildUnifiedOrderRequest({ ...order, sceneInfo }, md5Merchant, nonce)).code).toBe('FIELD_INVALID');
  });
});
