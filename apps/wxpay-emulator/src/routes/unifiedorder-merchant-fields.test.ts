import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devMerchant } from '@checkout/protocol/testing';
import {
  buildOrderQueryRequest,
  buildUnifiedOrderRequest,
  buildXml,
  parseOrderQueryResponse,
  parseUnifiedOrderResponse,
  serializeGoodsDetail,
  withSign,
  type UnifiedOrderInput,
} from '@checkout/protocol/wxpay';
import { md5Merchant, orderInput, post, postV2, startEmulator, type TestEmulator } from '../testing/test-fixtures';
import { V2_RETURN_MESSAGES } from '../wire/v2-wire';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startEmulator({ merchants: [devMerchant] });
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

const path = (p: string): string => `${emu.url}${p}`;
const store = { id: 'SZTX001', name: '腾大餐厅', areaCode: '440305', address: '科技园中一路腾讯大厦' };
const detail = serializeGoodsDetail({ goods: [{ goodsId: 'AC-15', goodsName: '空调 1.5匹', quantity: 2, price: 999 }] });
const merchantFields: Partial<UnifiedOrderInput> = {
  deviceInfo: 'POS-01',
  limitPay: 'no_credit',
  receipt: 'Y',
  profitSharing: 'N',
  sceneInfo: { storeInfo: store },
  detail,
  attach: 'shop-a',
  goodsTag: 'WXG',
};

async function place(input: UnifiedOrderInput) {
  const answer = await post(path('/pay/unifiedorder'), buildUnifiedOrderRequest(input, md5Merchant, 'nonce01').xml);
  return parseUnifiedOrderResponse(answer.text, md5Merchant);
}

/** A unifiedorder with raw wire fields, as a client without the protocol's checks would send it. */
async function rawOrder(patch: Record<string, string>) {
  const { sign: _sign, ...fields } = buildUnifiedOrderRequest(orderInput(), md5Merchant, 'nonce01').fields;
  return (await postV2(path('/pay/unifiedorder'), buildXml(withSign({ ...fields, ...patch }, devMerchant.apiKey, 'MD5')))).fields;
}

describe('unifiedorder merchant fields', () => {
  it('accepts every field, echoes device_info and stores them all on the order', async () => {
    const input = orderInput(merchantFields);
    const result = await place(input);
    expect(result.raw.device_info).toBe('POS-01');
    expect(emu.control.order(input.outTradeNo)).toMatchObject({
      deviceInfo: 'POS-01',
      limitPay: 'no_credit',
      receipt: 'Y',
      profitSharing: 'N',
      sceneInfo: '{"store_info":{"id":"SZTX001","name":"腾大餐厅","area_code":"440305","address":"科技园中一路腾讯大厦"}}',
      detail,
      attach: 'shop-a',
      goodsTag: 'WXG',
    });
  });

  it('a re-order that changes any merchant field is INVALID_REQUEST (参数值与原请求一致)', async () => {
    const input = orderInput(merchantFields);
    await place(input);
    for (const patch of [{ profitSharing: 'Y' as const }, { deviceInfo: 'POS-02' }, { receipt: undefined }, { sceneInfo: { storeInfo: { ...store, id: 'SZTX002' } } }]) {
      await expect(place({ ...input, ...patch })).rejects.toMatchObject({ errCode: 'INVALID_REQUEST' });
    }
    expect((await place(input)).prepayId).toBe(emu.control.order(input.outTradeNo)?.prepayId);
  });

  it.each([
    ['device_info', { device_info: 'POS 01' }],
    ['device_info', { device_info: 'x'.repeat(33) }],
    ['limit_pay', { limit_pay: 'credit' }],
    ['receipt', { receipt: 'N' }],
    ['profit_sharing', { profit_sharing: 'y' }],
    ['scene_info', { scene_info: '{"store_info":' }],
    ['scene_info', { scene_info: 'x'.repeat(257) }],
    ['area_code', { scene_info: '{"store_info":{"id":"S1","name":"店","area_code":"4403","address":"路"}}' }],
    ['name', { scene_info: `{"store_info":{"id":"S1","name":"${'店'.repeat(22)}","area_code":"440305","address":"路"}}` }],
    ['address', { scene_info: '{"store_info":{"id":"S1","name":"店","area_code":"440305"}}' }],
    ['detail', { detail: 'not json' }],
    ['detail', { detail: `[${detail}]` }],
    ['goods_detail', { detail: '{"goods_detail":[]}' }],
    ['price', { detail: '{"goods_detail":[{"goods_id":"a","quantity":1,"price":9.9}]}' }],
    ['quantity', { detail: '{"goods_detail":[{"goods_id":"a","quantity":"1","price":1}]}' }],
    ['goods_id', { detail: '{"goods_detail":[{"quantity":1,"price":1}]}' }],
    ['colour', { detail: '{"goods_detail":[{"goods_id":"a","quantity":1,"price":1,"colour":"red"}]}' }],
    ['detail', { detail: `{"goods_detail":[{"goods_id":"a","quantity":1,"price":1,"body":"${'长'.repeat(2000)}"}]}` }],
  ])('refuses a bad %s with PARAM_ERROR and creates no order', async (field, patch) => {
    const answer = await rawOrder(patch);
    expect(answer.return_code).toBe('FAIL');
    expect(answer.return_msg).toContain(V2_RETURN_MESSAGES.PARAM_ERROR);
    expect(answer.return_msg).toContain(field);
    expect(emu.control.orders()).toHaveLength(0);
  });

  it('takes the official examples of the field table: the XML detail and the scene_info', async () => {
    const answer = await rawOrder({
      detail:
        '{ "goods_detail":[ { "goods_id":"iphone6s_16G", "wxpay_goods_id":"1001", "goods_name":"iPhone6s 16G", "quantity":1, "price":528800, "goods_category":"123456", "body":"苹果手机" } ] }',
      scene_info: '{"store_info" : {"id": "SZTX001","name": "腾大餐厅","area_code": "440305","address": "科技园中一路腾讯大厦" }}',
    });
    expect(answer.result_code).toBe('SUCCESS');
  });
});

describe('orderquery of a paid order', () => {
  const query = async (key: { outTradeNo: string } | { transactionId: string }) =>
    parseOrderQueryResponse((await post(path('/pay/orderquery'), buildOrderQueryRequest(key, md5Merchant, 'q1').xml)).text, md5Merchant);

  it('answers every field of the table, coupons included, by out_trade_no and by transaction_id', async () => {
    const input = orderInput({ ...merchantFields, totalFee: 1999 });
    await place(input);
    const coupons = [
      { id: '10000', type: 'CASH' as const, fee: 100 },
      { id: '10001', type: 'NO_CASH' as const, fee: 50 },
    ];
    const paid = emu.control.payOrder(input.outTradeNo, { coupons });
    const byNo = await query({ outTradeNo: input.outTradeNo });
    expect(byNo).toMatchObject({
      tradeState: 'SUCCESS',
      tradeStateDesc: '支付成功',
      transactionId: paid.transactionId,
      totalFee: 1999,
      cashFee: 1849,
      couponFee: 150,
      settlementTotalFee: 1949,
      coupons,
      deviceInfo: 'POS-01',
      bankType: 'OTHERS',
      attach: 'shop-a',
      openid: input.openid,
      unexpectedShapes: [],
    });
    expect(byNo.timeEnd).toMatch(/^\d{14}$/);
    expect(byNo.raw).toMatchObject({ fee_type: 'CNY', cash_fee_type: 'CNY', trade_type: 'JSAPI', is_subscribe: 'N' });
    const byTx = await query({ transactionId: paid.transactionId ?? '' });
    expect({ ...byTx.raw, nonce_str: '', sign: '' }).toEqual({ ...byNo.raw, nonce_str: '', sign: '' });
  });

  it('leaves coupon fields and settlement_total_fee out when no coupon was used', async () => {
    const input = orderInput();
    await place(input);
    emu.control.payOrder(input.outTradeNo);
    const result = await query({ outTradeNo: input.outTradeNo });
    expect(result.coupons).toEqual([]);
    expect(result.cashFee).toBe(result.totalFee);
    for (const name of ['coupon_fee', 'coupon_count', 'settlement_total_fee', 'device_info']) expect(name in result.raw).toBe(false);
  });

  it('refuses coupons that would leave no cash to pay', async () => {
    const input = orderInput({ totalFee: 100 });
    await place(input);
    expect(() => emu.control.payOrder(input.outTradeNo, { coupons: [{ id: '1', type: 'CASH', fee: 100 }] })).toThrow(/less than total_fee/);
    expect(emu.control.order(input.outTradeNo)?.tradeState).toBe('NOTPAY');
  });

  it('an unknown transaction_id is ORDERNOTEXIST', async () => {
    await expect(query({ transactionId: '4200000000202601010000000000' })).rejects.toMatchObject({ errCode: 'ORDERNOTEXIST' });
  });
});
