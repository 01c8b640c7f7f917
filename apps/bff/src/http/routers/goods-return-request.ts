import { z } from 'zod';
import type { ApiErrorCode } from '@checkout/protocol/contract';
import type { SubsidyError } from '../../domain/subsidy/subsidy-error';

/** Body of the admin `POST /admin/orders/:id/goods-return`. */
export const goodsReturnRequestSchema = z.strictObject({
  /** 线上平台退款交易编号 as sent in refund_id. */
  refundId: z.string().regex(/^[0-9A-Za-z_\-|*]{1,64}$/, 'refundId must be 1–64 of [0-9A-Za-z_-|*]'),
  /** When the goods came back (RFC 3339); default: now. */
  returnedAt: z.iso.datetime({ offset: true }).optional(),
});
export type GoodsReturnRequest = z.infer<typeof goodsReturnRequestSchema>;

/** The API error code for each SubsidyError, so the route maps them through the BFF's one status table. */
export function subsidyApiErrorCode(code: SubsidyError['code']): ApiErrorCode {
  switch (code) {
    case 'SUBSIDY_ORDER_NOT_FOUND':
      return 'ORDER_NOT_FOUND';
    case 'SUBSIDY_ORDER_NOT_PAID':
      return 'ORDER_NOT_REFUNDABLE';
    case 'SUBSIDY_NOT_ELIGIBLE':
    case 'SUBSIDY_ONE_APPLIANCE_PER_ORDER':
      return 'SUBSIDY_NOT_ELIGIBLE';
    case 'SUBSIDY_SYNC_INVALID':
      return 'VALIDATION_FAILED';
    default:
      return 'INTERNAL_ERROR';
  }
}
