import { describe, expect, it } from 'vitest';
import type { NotificationVerifier, VerifiedPayNotification } from '../ports/payment-gateway';
import { NotificationRejectedError } from '../ports/payment-gateway';
import { handlePayNotification } from './handle-pay-notification';
import { placeOrder, unitMerchant, unitWorld, type UnitWorld } from '../../../test-support/in-memory/unit-deps';

/** Signature checking belongs to the adapter (tested against the official vectors); here a body is the verified notification as JSON. */
const verifier: NotificationVerifier = {
  verifyNotification(rawBody) {
    if (rawBody === 'forged') throw new NotificationRejectedError('bad_signature', 'SIGN_INVALID');
    const parsed = JSON.parse(rawBody) as VerifiedPayNotification & { timeEnd: string | null };
    return { ...parsed, timeEnd: parsed.timeEnd === null ? null : new Date(parsed.timeEnd) };
  },
};

async function setUp(world: UnitWorld = unitWorld()) {
  const order = await placeOrder(world);
  const notify = (fields: Partial<VerifiedPayNotification> = {}) => {
    const notification: VerifiedPayNotification = {
      outcome: 'SUCCESS',
      ...unitMerchant,
      outTradeNo: order.outTradeNo,
      transactionId: '4200000000000000000000000001',
      totalFee: order.payableFen,
      timeEnd: new Date('2026-12-01T10:01:00Z'),
      errCode: null,
      signType: order.signType,
      dedupeKey: `key:${fields.transactionId ?? '1'}:${fields.outcome ?? 'SUCCESS'}`,
      unexpectedShapes: [],
      ...fields,
    };
    return handlePayNotification({ ...world.deps, verifier }, JSON.stringify(notification));
  };
  return { world, order, notify };
}

describe('handlePayNotification', () => {
  it('pays the order once; repeats are acked as duplicates without a write', async () => {
    const { world, order, notify } = await setUp();
    expect(await notify()).toEqual({ ack: true, duplicate: false, unexpectedShapes: [] });
    expect(await notify()).toEqual({ ack: true, duplicate: true, unexpectedShapes: [] });
    expect(await world.orders.findById(order.id)).toMatchObject({ status: 'paid', transactionId: '4200000000000000000000000001', paidAt: new Date('2026-12-01T10:01:00Z') });
    expect(world.orders.events.filter((e) => e.kind === 'paid')).toHaveLength(1);
    expect([...world.orders.notifications.values()]).toEqual([expect.objectContaining({ applied: true, repeatCount: 0 })]);
  });

  it('refuses with a FAIL ack, changing nothing: forged, unknown order, other merchant, wrong amount, other sign type', async () => {
    const { world, order, notify } = await setUp();
    expect(await handlePayNotification({ ...world.deps, verifier }, 'forged')).toEqual({ ack: false, reason: 'bad_signature' });
    expect(await notify({ outTradeNo: 'T-unknown' })).toEqual({ ack: false, reason: 'unknown_order' });
    expect(await notify({ mchId: '1900000999' })).toEqual({ ack: false, reason: 'merchant_mismatch' });
    expect(await notify({ totalFee: order.payableFen - 1 })).toEqual({ ack: false, reason: 'amount_mismatch' });
    expect(await notify({ signType: 'MD5' })).toEqual({ ack: false, reason: 'sign_type_mismatch' });
    expect(await notify({ transactionId: null })).toEqual({ ack: false, reason: 'malformed' });
    expect((await world.orders.findById(order.id))?.status).toBe('pending');
    expect(world.orders.notifications.size).toBe(0);
  });

  it('a second transaction for a paid order is acked and recorded once as a double payment', async () => {
    const { world, notify } = await setUp();
    await notify();
    const second = { transactionId: '4200000000000000000000000002' };
    expect(await notify(second)).toEqual({ ack: true, duplicate: false, unexpectedShapes: [] });
    expect(await notify(second)).toEqual({ ack: true, duplicate: true, unexpectedShapes: [] });
    expect(world.orders.anomalies).toEqual([expect.objectContaining({ kind: 'double_payment', transactionId: second.transactionId })]);
    expect(world.logs.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual(['possible double payment: a second transaction for a paid order']);
  });

  it('a payment on a closed order is kept (paid) and recorded as paid after close', async () => {
    const { world, order, notify } = await setUp();
    await world.orders.transition(order.id, { kind: 'close', at: world.deps.clock.now(), reason: 'expired' });
    expect((await notify()).ack).toBe(true);
    expect(await world.orders.findById(order.id)).toMatchObject({ status: 'paid', paidAfterClose: true });
    expect(world.orders.anomalies.map((a) => a.kind)).toEqual(['paid_after_close']);
  });

  it('result_code=FAIL records the attempt once and leaves the order payable', async () => {
    const { world, order, notify } = await setUp();
    const failed = { outcome: 'FAIL' as const, transactionId: null, errCode: 'NOTENOUGH' };
    expect(await notify(failed)).toEqual({ ack: true, duplicate: false, unexpectedShapes: [] });
    expect(await notify(failed)).toEqual({ ack: true, duplicate: true, unexpectedShapes: [] });
    expect(await world.orders.findById(order.id)).toMatchObject({ status: 'pending', lastFailureCode: 'NOTENOUGH' });
    expect(world.orders.events.filter((e) => e.kind === 'attempt_failed')).toHaveLength(1);
  });

  it('optional fields of an undocumented shape never refuse a verified payment', async () => {
    const { world, order, notify } = await setUp();
    expect(await notify({ unexpectedShapes: ['coupon_fee_0'] })).toEqual({ ack: true, duplicate: false, unexpectedShapes: ['coupon_fee_0'] });
    expect((await world.orders.findById(order.id))?.status).toBe('paid');
  });
});
