import { describe, expect, it } from 'vitest';
import { sweepOrders } from './sweep-orders';
import { placeOrder, unitWorld } from '../../../test-support/in-memory/unit-deps';

const options = { queryAfterSeconds: 10, requeryIntervalSeconds: 30, batchSize: 50, leaseSeconds: 60 };

describe('sweepOrders', () => {
  it('confirms a paid order whose notification never came, leaves an unpaid one pending', async () => {
    const world = unitWorld();
    const paid = await placeOrder(world);
    const unpaid = await placeOrder(world);
    const transactionId = world.wechatPay.pay(paid.outTradeNo);
    world.advance(11);
    expect(await sweepOrders(world.deps, options)).toMatchObject({ queried: 2, paid: 1, closeAttempts: 0, errors: 0 });
    expect(await world.orders.findById(paid.id)).toMatchObject({ status: 'paid', transactionId });
    expect((await world.orders.findById(unpaid.id))?.status).toBe('pending');
  });

  it('closes at WeChat Pay an order past its window, not before the 5-minute floor for a cancelled one', async () => {
    const world = unitWorld();
    const cancelled = await placeOrder(world);
    await world.orders.requestCancel(cancelled.id);
    world.advance(60);
    expect((await sweepOrders(world.deps, options)).closeAttempts).toBe(0);
    world.advance(4 * 60);
    expect(await sweepOrders(world.deps, { ...options, leaseSeconds: 0 })).toMatchObject({ closeAttempts: 1, closed: 1 });
    expect(world.wechatPay.orders.get(cancelled.outTradeNo)?.tradeState).toBe('CLOSED');
    expect(await world.orders.findById(cancelled.id)).toMatchObject({ status: 'closed', closedAt: expect.any(Date) as unknown });
  });

  it('closeorder answered ORDERPAID: the payment is confirmed and applied instead of a close', async () => {
    const world = unitWorld();
    const order = await placeOrder(world);
    world.wechatPay.pay(order.outTradeNo);
    world.advance(16 * 60);
    // Queried first (paid), so nothing is left to close.
    expect(await sweepOrders(world.deps, options)).toMatchObject({ paid: 1, closeAttempts: 0 });
    expect((await world.orders.findById(order.id))?.status).toBe('paid');
  });

  it('a PAYERROR order is marked failed, then closed at WeChat Pay once so it can never be paid later', async () => {
    const world = unitWorld();
    const order = await placeOrder(world);
    world.wechatPay.pay(order.outTradeNo, 'PAYERROR');
    world.advance(5 * 60);
    expect(await sweepOrders(world.deps, options)).toMatchObject({ failed: 2, closeAttempts: 1 });
    expect(await world.orders.findById(order.id)).toMatchObject({ status: 'failed', lastFailureCode: 'PAYERROR', closedAt: expect.any(Date) as unknown });
    expect(world.wechatPay.orders.get(order.outTradeNo)?.tradeState).toBe('CLOSED');
    world.advance(60);
    expect((await sweepOrders(world.deps, options)).closeAttempts).toBe(0);
  });

  it('an order another sweeper holds is skipped; an error is counted and recorded, the rest goes on', async () => {
    const world = unitWorld();
    const held = await placeOrder(world);
    const failing = await placeOrder(world);
    const fine = await placeOrder(world);
    world.advance(11);
    await world.orders.claimForSweep(held.id, world.deps.clock.now(), new Date(world.deps.clock.now().getTime() + 60_000));
    world.wechatPay.failNext('orderquery', 'unavailable');
    world.wechatPay.pay(fine.outTradeNo);
    expect(await sweepOrders(world.deps, options)).toMatchObject({ queried: 2, errors: 1, paid: 1 });
    expect(world.wechatPay.calls.filter((c) => c.op === 'orderquery').map((c) => c.outTradeNo)).toEqual([failing.outTradeNo, fine.outTradeNo]);
    expect(world.orders.events).toContainEqual({ orderId: failing.id, kind: 'sweep_error', detail: 'PAYMENT_PROVIDER_UNAVAILABLE' });
  });
});
