import { describe, expect, it } from 'vitest';
import { createOrder } from './create-order';
import { unitBuyer as buyer, unitWorld } from '../../../test-support/in-memory/unit-deps';
import { rejectedCode } from '../../../test-support/thrown-code';

const cart = { items: [{ productId: 'tea', quantity: 2 }] };

describe('createOrder', () => {
  it('stores the order with its unifiedorder parameters before calling WeChat Pay, then returns payable params', async () => {
    const world = unitWorld();
    const { order, payment } = await createOrder(world.deps, { userId: world.user.id, request: cart, idempotencyKey: null });
    expect(order).toMatchObject({ status: 'pending', payableFen: 3_000, signType: 'HMAC-SHA256', prepayId: expect.stringMatching(/^wx/) as unknown });
    expect(order.unifiedOrder).toEqual({
      body: expect.stringContaining('小店') as unknown,
      totalFee: 3_000,
      spbillCreateIp: '203.0.113.7',
      notifyUrl: 'https://shop.example/wxpay/notify',
      openid: world.user.openid,
      timeStart: '20261201180000',
      timeExpire: '20261201181500',
    });
    expect(payment.package).toBe(`prepay_id=${order.prepayId ?? ''}`);
    // What WeChat Pay holds is exactly what was persisted.
    expect(world.wechatPay.orders.get(order.outTradeNo)?.params).toEqual(order.unifiedOrder);
    expect(world.orders.events.map((e) => e.kind)).toEqual(['prepay']);
  });

  it('sends the merchant settings and, with single-item discounts on, the order lines as detail; never an attach', async () => {
    const storeInfo = { id: 'SZ-001', name: '小店', areaCode: '440305', address: '科技园 1 号' };
    const world = unitWorld({ merchantOrderFields: { deviceInfo: 'POS-01', limitPay: 'no_credit', receipt: 'Y', profitSharing: 'Y', sceneInfo: { storeInfo } }, singleItemDiscount: true });
    const { order } = await createOrder(world.deps, { userId: world.user.id, request: cart, idempotencyKey: null });
    expect(order.unifiedOrder).toMatchObject({ deviceInfo: 'POS-01', limitPay: 'no_credit', receipt: 'Y', profitSharing: 'Y', sceneInfo: { storeInfo } });
    expect(JSON.parse(order.unifiedOrder.detail ?? '')).toEqual({ goods_detail: [{ goods_id: 'tea', goods_name: expect.any(String) as unknown, quantity: 2, price: 1_500 }] });
    expect('attach' in order.unifiedOrder).toBe(false);
    expect(world.wechatPay.orders.get(order.outTradeNo)?.params).toEqual(order.unifiedOrder);
  });

  it('detail prices the subsidised line after the subsidy: the lines add up to total_fee', async () => {
    const world = unitWorld({ singleItemDiscount: true });
    const request = { items: [{ productId: 'fridge', quantity: 1 }, { productId: 'tea', quantity: 3 }], subsidy: buyer };
    const { order } = await createOrder(world.deps, { userId: world.user.id, request, idempotencyKey: null });
    expect(order.subsidyDiscountFen).toBeGreaterThan(0);
    const lines = (JSON.parse(order.unifiedOrder.detail ?? '') as { goods_detail: { goods_id: string; quantity: number; price: number }[] }).goods_detail;
    expect(lines.reduce((sum, line) => sum + line.quantity * line.price, 0)).toBe(order.unifiedOrder.totalFee);
    expect(lines.find((line) => line.goods_id === 'fridge')?.price).toBe(300_000 - order.subsidyDiscountFen);
  });

  it('without single-item discounts no detail is sent, and unset settings are left out', async () => {
    const world = unitWorld();
    const { order } = await createOrder(world.deps, { userId: world.user.id, request: cart, idempotencyKey: null });
    for (const name of ['detail', 'deviceInfo', 'limitPay', 'receipt', 'profitSharing', 'sceneInfo', 'attach']) expect(name in order.unifiedOrder).toBe(false);
  });

  it('a retry repeats the settings stored with the order even after the merchant changed them', async () => {
    const world = unitWorld({ merchantOrderFields: { profitSharing: 'N', deviceInfo: 'POS-01' } });
    world.wechatPay.failNext('unifiedorder', 'unavailable');
    const input = { userId: world.user.id, request: cart, idempotencyKey: 'tap-settings' };
    expect(await rejectedCode(createOrder(world.deps, input))).toBe('PAYMENT_PROVIDER_UNAVAILABLE');
    world.deps.policy.merchantOrderFields = { profitSharing: 'Y', deviceInfo: 'POS-02' };
    const retried = await createOrder(world.deps, input);
    expect(retried.order.unifiedOrder).toMatchObject({ profitSharing: 'N', deviceInfo: 'POS-01' });
    expect(world.wechatPay.orders.get(retried.order.outTradeNo)?.params).toMatchObject({ profitSharing: 'N', deviceInfo: 'POS-01' });
  });

  it('an Idempotency-Key replay returns the same order and reuses its prepay_id; another body with that key is refused', async () => {
    const world = unitWorld();
    const input = { userId: world.user.id, request: cart, idempotencyKey: 'tap-1' };
    const first = await createOrder(world.deps, input);
    const again = await createOrder(world.deps, input);
    expect(again.order.id).toBe(first.order.id);
    expect(again.payment.package).toBe(first.payment.package);
    expect(world.orders.orders.size).toBe(1);
    expect(world.wechatPay.calls.filter((c) => c.op === 'unifiedorder')).toHaveLength(1);
    expect(await rejectedCode(createOrder(world.deps, { ...input, request: { items: [{ productId: 'tea', quantity: 3 }] } }))).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('WeChat Pay unavailable: the order stays stored and pending, and the replay retries with identical parameters', async () => {
    const world = unitWorld();
    world.wechatPay.failNext('unifiedorder', 'unavailable');
    const input = { userId: world.user.id, request: cart, idempotencyKey: 'tap-2' };
    expect(await rejectedCode(createOrder(world.deps, input))).toBe('PAYMENT_PROVIDER_UNAVAILABLE');
    const [stored] = world.orders.orders.values();
    expect(stored).toMatchObject({ status: 'pending', lastFailureCode: 'PROVIDER_UNAVAILABLE', prepayId: null });
    const retried = await createOrder(world.deps, input);
    expect(retried.order).toMatchObject({ id: stored?.id, outTradeNo: stored?.outTradeNo, prepayId: expect.stringMatching(/^wx/) as unknown, lastFailureCode: null });
  });

  it('seals the subsidy buyer data before it reaches the repository', async () => {
    const world = unitWorld();
    let stored: unknown;
    const create = world.orders.create.bind(world.orders);
    world.orders.create = async (order) => {
      stored = order.subsidy;
      return create(order);
    };
    await createOrder(world.deps, { userId: world.user.id, request: { items: [{ productId: 'fridge', quantity: 1 }], subsidy: buyer }, idempotencyKey: null });
    expect(JSON.stringify(stored)).not.toContain(buyer.idCardNumber);
    expect(JSON.stringify(stored)).not.toContain(buyer.realName);
    expect(stored).toMatchObject({ identityDocumentType: 'ID_DOC_TYPE_ID_CARD', sealedPii: expect.stringMatching(/^sealed:/) as unknown });
  });

  it('a session whose user is gone is refused before anything is priced or stored', async () => {
    const world = unitWorld();
    expect(await rejectedCode(createOrder(world.deps, { userId: 'user-gone', request: cart, idempotencyKey: null }))).toBe('UNAUTHENTICATED');
    expect(world.orders.orders.size).toBe(0);
  });
});
