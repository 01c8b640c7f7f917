import { z } from 'zod';

/**
 * Every stable error code the BFF may answer with. Closed on purpose: clients switch on it,
 * so a new code is a contract change.
 */
export const apiErrorCodes = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAUTHENTICATED',
  'LOGIN_CODE_INVALID',
  'LOGIN_RATE_LIMITED',
  'ADMIN_UNAUTHENTICATED',
  'NOT_FOUND',
  'ORDER_NOT_FOUND',
  'PRODUCT_NOT_FOUND',
  'PRODUCT_UNAVAILABLE',
  'SUBSIDY_NOT_ELIGIBLE',
  'ORDER_NOT_PAYABLE',
  'ORDER_NOT_CANCELLABLE',
  'ORDER_NOT_REFUNDABLE',
  'REFUND_EXCEEDS_REMAINING',
  'ORDER_NOT_PAID',
  'ORDER_NOT_COURIER',
  'ORDER_FULLY_REFUNDED',
  'ORDER_ALREADY_SHIPPED',
  'SHIPMENT_PARCEL_LIMIT',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_IN_PROGRESS',
  'PAYMENT_PROVIDER_UNAVAILABLE',
  'PAYMENT_PROVIDER_REJECTED',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
] as const;

export const apiErrorCodeSchema = z.enum(apiErrorCodes);
export type ApiErrorCode = z.infer<typeof apiErrorCodeSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: apiErrorCodeSchema,
    message: z.string(),
    /** Field-level problems for VALIDATION_FAILED: path → message. Never echoes secrets. */
    details: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
