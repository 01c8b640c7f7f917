import { z } from 'zod';
import { govSubsidySyncRequestSchema } from '@checkout/protocol/wxpay';
import type { OutboxHandler } from '../outbox/outbox-job';
import type { GovSubsidySyncClient } from './gov-subsidy-sync-client';

const payloadSchema = z.object({ request: govSubsidySyncRequestSchema, wechatpaySerial: z.string().min(1) });

/** The outbox handler for `gov_subsidy_sync` jobs. */
export function deliverGovSubsidySync(client: GovSubsidySyncClient): OutboxHandler {
  return async (job) => {
    const payload = payloadSchema.safeParse(job.payload);
    // Cannot become valid by waiting; dead-letter (field paths only: values may be personal).
    if (!payload.success) return { outcome: 'failed', error: `PAYLOAD_INVALID:${payload.error.issues.map((i) => i.path.join('.')).join(',')}` };
    const result = await client.sync(payload.data.request, payload.data.wechatpaySerial);
    switch (result.kind) {
      case 'accepted':
        return { outcome: 'delivered' };
      case 'rejected':
        return { outcome: 'failed', error: result.reason };
      case 'retryable':
        return { outcome: 'retry', error: result.reason, ...(result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs }) };
    }
  };
}
