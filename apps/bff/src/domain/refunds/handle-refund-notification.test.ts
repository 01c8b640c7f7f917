import { describe, expect, it } from 'vitest';
import type { VerifiedRefundNotification } from '../ports/refund-gateway';
import { placePaidOrder, unitMerchant, unitWorld } from '../../../test-support/in-memory/unit-deps';
import { handleRefundNotification } from './handle-refund-notification';
import { requestRefund } from './request-refund';

describe('handleRefundNotification', () => {
  const setup = async () => {
    const world = unitWorld();
    const order = await placePaidOrder(world);
    const { refund } = await requestRefund(world.deps, { orderId: order.id, amountFen: 400, reason: null, idempotencyKey: null });
    const notification: VerifiedRefundNotification = {
      ...unitMerchant,
      outTradeNo: order.outTradeNo,
      transactionId: order.transactionId ?? '',
      outRefundNo: refund.outRefundNo,
      refundId: refund.refundId ?? '',
      totalFen: order.payableFen,
      refundFen: 400,
      status: 'succeeded',
      receivedBy: '支付用户零钱',
      succeededAt: new Date('2026-12-01T10:05:00Z'),
      requestSource: 'API',
    };
    return { world, order, refund, send: (fields: Partial<VerifiedRefundNotification> = {}) => handleRefundNotification(world.deps, JSON.stringify({ ...notification, ...fields })) };
  };

  it('applies a matching notification once; repeats are acknowledged and change nothing', async () => {
    const { world, order, send } = await setup();
    expect((await send()).kind).toBe('applied');
    expect((await send()).kind).toBe('repeat');
    expect(await world.orders.findById(order.id)).toMatchObject({ status: 'partially_refunded', refundedFen: 400 });
  });

  it('refuses another merchant, and amounts or payments that differ from the stored refund', async () => {
    const { world, order, send } = await setup();
    expect(await send({ mchId: '1900009999' })).toEqual({ kind: 'rejected', reason: 'merchant_mismatch' });
    expect(await send({ refundFen: 401 })).toEqual({ kind: 'rejected', reason: 'amount_mismatch' });
    expect(await send({ transactionId: '4200000000000000000000000001' })).toEqual({ kind: 'rejected', reason: 'amount_mismatch' });
    expect(await handleRefundNotification(world.deps, 'not json')).toEqual({ kind: 'rejected', reason: 'malformed:DECRYPT_FAILED' });
    expect((await world.orders.findById(order.id))?.refundedFen).toBe(0);
  });

  it('records a refund started in the merchant portal (a number we never created) against its order', async () => {
    const { world, order, send } = await setup();
    expect(await send({ outRefundNo: 'portal-1', refundId: '50300000000000000000000009', refundFen: 100, requestSource: 'VENDOR_PLATFORM' })).toEqual({ kind: 'recorded_external', outRefundNo: 'portal-1' });
    expect(await send({ outRefundNo: 'portal-1', refundId: '50300000000000000000000009', refundFen: 100 })).toEqual({ kind: 'repeat', outRefundNo: 'portal-1' });
    expect(await world.refunds.findByOutRefundNo('portal-1')).toMatchObject({ source: 'merchant_portal', status: 'succeeded', orderId: order.id });
    expect(await send({ outRefundNo: 'portal-2', outTradeNo: 'NOT-OURS' })).toEqual({ kind: 'rejected', reason: 'unknown_order' });
  });
});
