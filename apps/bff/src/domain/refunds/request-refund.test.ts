import { describe, expect, it } from 'vitest';
import { placeOrder, placePaidOrder, unitWorld } from '../../../test-support/in-memory/unit-deps';
import { rejectedCode } from '../../../test-support/thrown-code';
import { requestRefund } from './request-refund';

const ask = (orderId: string, amountFen: number, idempotencyKey: string | null = null) => ({ orderId, amountFen, reason: '退货', idempotencyKey });

describe('requestRefund', () => {
  it('stores the refund with its out_refund_no before the call, sends it, and records it accepted', async () => {
    const world = unitWorld();
    const order = await placePaidOrder(world);
    const { refund, created } = await requestRefund(world.deps, ask(order.id, 500));
    expect(created).toBe(true);
    expect(refund).toMatchObject({ status: 'processing', refundFen: 500, totalFen: order.payableFen, transactionId: order.transactionId, source: 'operator' });
    expect(world.refundGateway.submissions).toEqual([{ outTradeNo: order.outTradeNo, transactionId: order.transactionId, outRefundNo: refund.outRefundNo, totalFen: order.payableFen, refundFen: 500, reason: '退货' }]);
    // Confirmed with refundquery a while later if no notification comes.
    expect(refund.nextAttemptAt).toEqual(new Date(world.deps.clock.now().getTime() + 60_000));
    expect((await world.orders.findById(order.id))?.refundHeldFen).toBe(500);
  });

  it('never gives back more than was paid minus what is refunded or being refunded', async () => {
    const world = unitWorld();
    const order = await placePaidOrder(world);
    await requestRefund(world.deps, ask(order.id, order.payableFen - 100));
    expect(await rejectedCode(requestRefund(world.deps, ask(order.id, 101)))).toBe('REFUND_EXCEEDS_REMAINING');
    expect((await requestRefund(world.deps, ask(order.id, 100))).refund.status).toBe('processing');
    expect(await rejectedCode(requestRefund(world.deps, ask(order.id, 1)))).toBe('REFUND_EXCEEDS_REMAINING');
    expect(world.refundGateway.submissions).toHaveLength(2);
  });

  it('refuses an unknown or unpaid order with stable codes, without calling WeChat Pay', async () => {
    const world = unitWorld();
    const pending = await placeOrder(world);
    expect(await rejectedCode(requestRefund(world.deps, ask('nope', 1)))).toBe('ORDER_NOT_FOUND');
    expect(await rejectedCode(requestRefund(world.deps, ask(pending.id, 1)))).toBe('ORDER_NOT_REFUNDABLE');
    expect(world.refundGateway.submissions).toEqual([]);
  });

  it('the same Idempotency-Key answers the same refund; another amount under it is refused', async () => {
    const world = unitWorld();
    const order = await placePaidOrder(world);
    const first = await requestRefund(world.deps, ask(order.id, 300, 'k1'));
    const again = await requestRefund(world.deps, ask(order.id, 300, 'k1'));
    expect(again).toEqual({ refund: first.refund, created: false });
    expect(await rejectedCode(requestRefund(world.deps, ask(order.id, 301, 'k1')))).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(world.refundGateway.submissions).toHaveLength(1);
  });

  it('a refusal frees the amount; a rate limit or a lost answer keeps the refund for a resend with the same number', async () => {
    const world = unitWorld();
    const order = await placePaidOrder(world);
    const later = new Date(world.deps.clock.now().getTime() + 600_000);
    world.refundGateway.answerNext({ kind: 'refused', code: 'USER_ACCOUNT_ABNORMAL' }, { kind: 'retry', code: 'FREQUENCY_LIMITED', notBefore: later }, { kind: 'unknown', code: 'UNAVAILABLE' });
    const refused = await requestRefund(world.deps, ask(order.id, order.payableFen));
    expect(refused.refund).toMatchObject({ status: 'refused', lastError: 'USER_ACCOUNT_ABNORMAL' });
    expect((await world.orders.findById(order.id))?.refundHeldFen).toBe(0);
    const limited = await requestRefund(world.deps, ask(order.id, 100));
    expect(limited.refund).toMatchObject({ status: 'requested', lastError: 'FREQUENCY_LIMITED', attempts: 1, nextAttemptAt: later });
    const lost = await requestRefund(world.deps, ask(order.id, 100));
    expect(lost.refund).toMatchObject({ status: 'requested', lastError: 'UNAVAILABLE', attempts: 1 });
    expect(world.logs.some((line) => line.level === 'error' && line.msg.includes('refused'))).toBe(true);
  });
});
