import { describe, expect, it } from 'vitest';
import { obtainPayment } from './obtain-payment';
import { placeOrder, unitWorld } from '../../../test-support/in-memory/unit-deps';
import { rejectedCode } from '../../../test-support/thrown-code';

describe('obtainPayment', () => {
  it('reuses a valid prepay_id, renews one close to its 2-hour expiry under the same out_trade_no', async () => {
    const world = unitWorld({ paymentWindowSeconds: 3 * 60 * 60 });
    const order = await placeOrder(world);
    world.advance(60 * 60);
    expect((await obtainPayment(world.deps, (await world.orders.findById(order.id))!)).order.prepayId).toBe(order.prepayId);
    world.advance(56 * 60);
    const renewed = await obtainPayment(world.deps, (await world.orders.findById(order.id))!);
    expect(renewed.order.prepayId).not.toBe(order.prepayId);
    expect(renewed.order.outTradeNo).toBe(order.outTradeNo);
    expect(world.wechatPay.orders.get(order.outTradeNo)?.prepayIds).toHaveLength(2);
    expect(world.orders.events.map((e) => e.detail)).toEqual(['created', 'renewed']);
  });

  it('refuses orders that cannot be paid: settled, being cancelled, past the window', async () => {
    const world = unitWorld();
    const order = await placeOrder(world);
    await world.orders.requestCancel(order.id);
    expect(await rejectedCode(obtainPayment(world.deps, (await world.orders.findById(order.id))!))).toBe('ORDER_NOT_PAYABLE');
    const late = await placeOrder(world);
    world.advance(15 * 60);
    expect(await rejectedCode(obtainPayment(world.deps, late))).toBe('ORDER_NOT_PAYABLE');
  });

  it('ORDERPAID from unifiedorder: the payment is confirmed with orderquery and applied, never asked for twice', async () => {
    const world = unitWorld();
    const order = await placeOrder(world);
    const transactionId = world.wechatPay.pay(order.outTradeNo);
    world.advance(2 * 60 * 60);
    const stale = { ...order, prepayExpiresAt: new Date(0), expiresAt: new Date(world.deps.clock.now().getTime() + 60_000) };
    expect(await rejectedCode(obtainPayment(world.deps, stale))).toBe('ORDER_NOT_PAYABLE');
    expect(await world.orders.findById(order.id)).toMatchObject({ status: 'paid', transactionId });
  });

  it('ORDERCLOSED from unifiedorder closes the order through the lifecycle', async () => {
    const world = unitWorld();
    const order = await placeOrder(world);
    world.wechatPay.failNext('unifiedorder', { rejected: 'ORDERCLOSED' });
    expect(await rejectedCode(obtainPayment(world.deps, { ...order, prepayExpiresAt: new Date(0) }))).toBe('ORDER_NOT_PAYABLE');
    expect(await world.orders.findById(order.id)).toMatchObject({ status: 'closed', closedAt: expect.any(Date) as unknown });
  });

  it('a business refusal is remembered on the order and rethrown with its code', async () => {
    const world = unitWorld();
    const order = await placeOrder(world);
    world.wechatPay.failNext('unifiedorder', { rejected: 'NOAUTH' });
    await expect(obtainPayment(world.deps, { ...order, prepayExpiresAt: new Date(0) })).rejects.toMatchObject({ code: 'PAYMENT_PROVIDER_REJECTED', providerCode: 'NOAUTH' });
    expect(await world.orders.findById(order.id)).toMatchObject({ status: 'pending', lastFailureCode: 'NOAUTH' });
  });
});
