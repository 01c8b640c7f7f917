import { z } from 'zod';
import { deliverShippingUpload } from '../domain/shipping/deliver-shipping-upload';
import type { UploadShippingInfoRequest } from '../domain/shipping/upload-shipping-request';
import type { WechatShippingApi } from '../domain/shipping/wechat-shipping-api';
import type { DomainLogger } from '../domain/ports/domain-logger';
import type { OutboxHandler } from '../outbox/outbox-job';

const payloadSchema = z.object({
  shipmentId: z.string(),
  outTradeNo: z.string(),
  request: z.looseObject({ order_key: z.object({ transaction_id: z.string() }), logistics_type: z.number(), delivery_mode: z.number(), shipping_list: z.array(z.unknown()) }),
});

/** The outbox handler of `wechat_shipping_upload` jobs: the stored body, sent as it was built. */
export function deliverShippingUploadJob(api: WechatShippingApi, deps: { clock: { now(): Date }; logger: DomainLogger; graceMs?: number }): OutboxHandler {
  return async (job) => {
    const payload = payloadSchema.safeParse(job.payload);
    if (!payload.success) return { outcome: 'failed', error: `PAYLOAD_INVALID:${payload.error.issues.map((i) => i.path.join('.')).join(',')}` };
    // The stored body is sent as it was built (the schema above only checks its shape).
    const request = (job.payload as { request: UploadShippingInfoRequest }).request;
    const result = await deliverShippingUpload(
      api,
      { request, ageMs: deps.clock.now().getTime() - job.createdAt.getTime() },
      deps.graceMs,
    );
    if (result.alreadyApplied) deps.logger.info({ jobId: job.id, outTradeNo: payload.data.outTradeNo, shipmentId: payload.data.shipmentId }, 'shipping upload already at WeChat (an earlier answer was lost); not sent again');
    return result.outcome === 'delivered' ? { outcome: 'delivered' } : result;
  };
}
