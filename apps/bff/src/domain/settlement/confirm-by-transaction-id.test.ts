import { describe, expect, it } from 'vitest';
import { confirmWithOrderQuery } from './confirm-with-orderquery';
import { placeOrder, unitWorld } from '../../../test-support/in-memory/unit-deps';

describe('confirmWithOrderQuery with a known transaction_id', () => {
  it('queries by the transaction_id and applies that payment, even on a closed order (paid after close)', async () => {
    const world = unitWorld();
    const order = await placeOrder(world);
    await world.orders.transition(order.id, { kind: 'close', at: world.deps.clock.now(), reason: 'EXPIRED' });
    const transactionId = world.wechatPay.pay(order.outTradeNo);
    const closed = await world.orders.findById(order.id);
    if (!closed) throw new Error('order vanished');
    const after = await confirmWithOrderQuery(world.deps, closed, { transactionId });
    expect(world.wechatPay.queriedTransactionIds).toEqual([transactionId]);
    expect(after).toMatchObject({ status: 'paid', transactionId, paidAfterClose: true });
  });

  it('an unknown transaction_id changes nothing: the order is not closed, even after expiry', async () => {
    const world = unitWorld();
    const order = await placeOrder(world);
    world.advance(3600);
    const after = await confirmWithOrderQuery(world.deps, order, { transactionId: '4200000000000000000000009999' });
    expect(after.status).toBe('pending');
    expect(world.orders.events.map((e) => e.kind)).toContain('query_mismatch');
  });

  it('without one, it queries by out_trade_no as before', async () => {
    const world = unitWorld();
    const order = await placeOrder(world);
    world.wechatPay.pay(order.outTradeNo);
    expect((await confirmWithOrderQuery(world.deps, order)).status).toBe('paid');
    expect(world.wechatPay.queriedTransactionIds).toEqual([null]);
  });
});
