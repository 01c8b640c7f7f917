import { describe, expect, it } from 'vitest';
import { placePaidOrder, unitWorld } from '../../../test-support/in-memory/unit-deps';
import { requestRefund } from './request-refund';
import { settleRefunds } from './settle-refunds';

describe('settleRefunds (the sweeper step)', () => {
  it('resends a refund WeChat Pay never confirmed with its stored out_refund_no: one refund however often it is sent', async () => {
    const world = unitWorld();
    const order = await placePaidOrder(world);
    world.refundGateway.answerNext({ kind: 'unknown', code: 'UNAVAILABLE' });
    const { refund } = await requestRefund(world.deps, { orderId: order.id, amountFen: 200, reason: null, idempotencyKey: null });
    expect(refund.status).toBe('requested');
    expect(await settleRefunds(world.deps, { batchSize: 10 })).toEqual({ resent: 0, queried: 0, settled: 0, failed: 0 });
    world.advance(61);
    expect(await settleRefunds(world.deps, { batchSize: 10 })).toMatchObject({ resent: 1, settled: 1 });
    expect(world.refundGateway.submissions.map((s) => s.outRefundNo)).toEqual([refund.outRefundNo, refund.outRefundNo]);
    expect(world.refundGateway.refunds.size).toBe(1);
    expect((await world.refunds.findByOutRefundNo(refund.outRefundNo))?.status).toBe('processing');
  });

  it('confirms a processing refund with refundquery: still processing → asked again later; succeeded → the order moves', async () => {
    const world = unitWorld();
    const order = await placePaidOrder(world);
    const { refund } = await requestRefund(world.deps, { orderId: order.id, amountFen: order.payableFen, reason: null, idempotencyKey: null });
    world.advance(61);
    expect(await settleRefunds(world.deps, { batchSize: 10 })).toMatchObject({ queried: 1, settled: 0 });
    expect(await settleRefunds(world.deps, { batchSize: 10 })).toMatchObject({ queried: 0 });
    world.refundGateway.settle(refund.outRefundNo, 'succeeded');
    world.advance(3600);
    expect(await settleRefunds(world.deps, { batchSize: 10 })).toMatchObject({ queried: 1, settled: 1 });
    expect(await world.orders.findById(order.id)).toMatchObject({ status: 'refunded', refundedFen: order.payableFen });
    expect(world.refundGateway.queries).toEqual([refund.outRefundNo, refund.outRefundNo]);
  });

  it('a closed refund frees its amount; WeChat Pay unreachable leaves the refund due for the next sweep', async () => {
    const world = unitWorld();
    const order = await placePaidOrder(world);
    const { refund } = await requestRefund(world.deps, { orderId: order.id, amountFen: 100, reason: null, idempotencyKey: null });
    world.refundGateway.settle(refund.outRefundNo, 'closed');
    world.advance(61);
    await settleRefunds(world.deps, { batchSize: 10 });
    expect(await world.orders.findById(order.id)).toMatchObject({ status: 'paid', refundHeldFen: 0, refundedFen: 0 });

    world.refundGateway.answerNext('throw');
    const second = await requestRefund(world.deps, { orderId: order.id, amountFen: 100, reason: null, idempotencyKey: null }).catch(() => null);
    expect(second).toBeNull();
    world.advance(61);
    world.refundGateway.answerNext('throw');
    expect(await settleRefunds(world.deps, { batchSize: 10 })).toMatchObject({ resent: 1, failed: 1 });
    expect(await settleRefunds(world.deps, { batchSize: 10 })).toMatchObject({ resent: 1, settled: 1 });
  });
});
