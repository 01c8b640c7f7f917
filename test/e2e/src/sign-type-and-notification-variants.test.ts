import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSignedNotification, devMerchant } from '@checkout/protocol/testing';
import { expectOk, payAtCashierAndWait, startStack, type ContractClient, type Stack } from '@checkout/test-harness';

const successAck = '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';

/**
 * Variants WeChat Pay really sends and operators really do: HMAC notifications without sign_type,
 * coupon-paid notifications (cash_fee < total_fee), and a sign type changed in config while MD5
 * orders are still open (each order keeps the sign type it was created with).
 */
describe('notification variants and a sign-type change across a restart', () => {
  let stack: Stack;
  let buyer: ContractClient;

  beforeAll(async () => {
    stack = await startStack({ name: 'e2e-variants', bffEnv: { WXPAY_SIGN_TYPE: 'MD5' } });
    buyer = await stack.login();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('MD5 checkout: the cashier verifies the MD5 paySign and the MD5-signed notification pays the order once', async () => {
    const created = expectOk(await buyer.createOrder({ items: [{ productId: 'test-1fen', quantity: 3 }] }));
    expect(created.payment.signType).toBe('MD5');
    expect(created.payment.paySign).toMatch(/^[0-9A-F]{32}$/);
    expect((await stack.emulator.order(created.order.outTradeNo))?.signType).toBe('MD5');
    const flipped = `${created.payment.paySign.slice(0, -1)}${created.payment.paySign.endsWith('0') ? '1' : '0'}`;
    expect((await stack.emulator.cashier({ ...created.payment, paySign: flipped }, 'pay')).errMsg).toMatch(/^requestPayment:fail/);
    await payAtCashierAndWait(stack, buyer, created);
    const db = stack.database();
    expect(db.eventKinds(db.order(created.order.outTradeNo)?.id ?? '').filter((kind) => kind === 'paid')).toHaveLength(1);
  });

  it('an MD5 order created before the switch to HMAC-SHA256 is re-paid with MD5 after the restart; new orders use HMAC-SHA256', async () => {
    const before = expectOk(await buyer.createOrder({ items: [{ productId: 'kettle', quantity: 1 }] }));
    expect(before.payment.signType).toBe('MD5');
    await stack.restartBff({ crash: false, env: { WXPAY_SIGN_TYPE: 'HMAC-SHA256' } });
    const again = expectOk(await buyer.payOrder(before.order.id));
    expect(again.payment.signType).toBe('MD5');
    await payAtCashierAndWait(stack, buyer, again);
    const after = expectOk(await buyer.createOrder({ items: [{ productId: 'kettle', quantity: 1 }] }));
    expect(after.payment.signType).toBe('HMAC-SHA256');
    await payAtCashierAndWait(stack, buyer, after);
  });

  it('HMAC-SHA256 notifications without a sign_type field are verified by the sign length and applied', async () => {
    await stack.emulator.setNotifyOptions({ omitSignType: true });
    const created = expectOk(await buyer.createOrder({ items: [{ productId: 'filter-pack', quantity: 1 }] }));
    expect(created.payment.signType).toBe('HMAC-SHA256');
    await payAtCashierAndWait(stack, buyer, created);
    const delivery = (await stack.emulator.deliveries()).find((d) => d.outTradeNo === created.order.outTradeNo && d.requestBody !== undefined);
    expect(delivery?.requestBody).not.toContain('<sign_type>');
    await stack.emulator.setNotifyOptions({ omitSignType: false });
  });

  it('a coupon-paid notification (cash_fee below total_fee, coupon fields signed) is accepted on total_fee', async () => {
    const created = expectOk(await buyer.createOrder({ items: [{ productId: 'kettle', quantity: 1 }] }));
    const body = buildSignedNotification(
      {
        out_trade_no: created.order.outTradeNo,
        total_fee: String(created.order.payableFen),
        transaction_id: '4200001234202511259999000001',
      },
      { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256', coupons: [{ id: '10000', type: 'NO_CASH', fee: 500 }, { id: '10001', type: 'CASH', fee: 100 }] },
    );
    expect(body).toContain('<coupon_count>2</coupon_count>');
    const response = await stack.api.raw('POST', '/wxpay/notify', { body, headers: { 'content-type': 'text/xml' } });
    expect(response).toMatchObject({ status: 200, text: successAck });
    expect(expectOk(await buyer.getOrder(created.order.id)).order.status).toBe('paid');
    expect(stack.database().integrity().problems).toEqual([]);
  });
});
