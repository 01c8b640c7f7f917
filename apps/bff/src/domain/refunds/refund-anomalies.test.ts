import { describe, expect, it } from 'vitest';
import type { TransactionScope } from '../ports/unit-of-work';
import { placePaidOrder, unitWorld } from '../../../test-support/in-memory/unit-deps';
import { refundAnomalies } from './refund-anomalies';
import { orderStatusAfterRefunds, refundTransitions } from './refund-lifecycle';

describe('refundAnomalies', () => {
  const setup = async (anomalies: 'automatic' | 'hold') => {
    const world = unitWorld();
    const order = await placePaidOrder(world);
    const scope = { refunds: world.refunds } as unknown as TransactionScope;
    const react = refundAnomalies({ ids: world.deps.ids, clock: world.deps.clock, logger: world.deps.logger, policy: { ...world.deps.policy.refunds, anomalies } });
    return { world, order, scope, react };
  };

  it('a payment after close is refunded in full, once, in the transaction that recorded it', async () => {
    const { world, order, scope, react } = await setup('automatic');
    const event = { type: 'payment_anomaly' as const, order, anomaly: { id: 'anomaly-1', kind: 'paid_after_close' as const, transactionId: order.transactionId ?? '', amountFen: order.payableFen } };
    await react(event, scope);
    await react(event, scope);
    const refunds = await world.refunds.list({ limit: 10 });
    expect(refunds).toEqual([expect.objectContaining({ source: 'anomaly', anomalyId: 'anomaly-1', refundFen: order.payableFen, status: 'requested', reason: '退回重复支付' })]);
    // Due at once: the sweeper sends it after this transaction commits.
    expect(refunds[0]?.nextAttemptAt).toEqual(world.deps.clock.now());
  });

  it('a second payment of a paid order is refunded by its own transaction id, holding nothing of the order', async () => {
    const { world, order, scope, react } = await setup('automatic');
    await react({ type: 'payment_anomaly', order, anomaly: { id: 'anomaly-2', kind: 'double_payment', transactionId: '4200000000000000000000000777', amountFen: order.payableFen } }, scope);
    expect(await world.refunds.list({ limit: 10 })).toEqual([expect.objectContaining({ transactionId: '4200000000000000000000000777', refundFen: order.payableFen })]);
    expect((await world.orders.findById(order.id))?.refundHeldFen).toBe(0);
  });

  it('with hold, the anomaly waits for an operator', async () => {
    const { world, order, scope, react } = await setup('hold');
    await react({ type: 'payment_anomaly', order, anomaly: { id: 'anomaly-3', kind: 'paid_after_close', transactionId: order.transactionId ?? '', amountFen: order.payableFen } }, scope);
    expect(await world.refunds.list({ limit: 10 })).toEqual([]);
  });
});

describe('refund lifecycle', () => {
  it('only a refund WeChat Pay has not settled can settle; a settled one never moves back', () => {
    for (const kind of ['succeed', 'close', 'abnormal'] as const) expect(refundTransitions[kind].from).toEqual(['requested', 'processing']);
    expect(refundTransitions.refuse.from).toEqual(['requested']);
  });

  it('the order is refunded once what reached the buyer equals what was paid', () => {
    expect(orderStatusAfterRefunds(1000, 0)).toBe('paid');
    expect(orderStatusAfterRefunds(1000, 1)).toBe('partially_refunded');
    expect(orderStatusAfterRefunds(1000, 1000)).toBe('refunded');
  });
});
