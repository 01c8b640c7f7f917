import type { ApiErrorCode } from '@checkout/protocol/contract';
import { DomainError, type ErrorDetail } from '../domain-error';

export type ShippingRefusal = Extract<
  ApiErrorCode,
  'ORDER_NOT_FOUND' | 'ORDER_NOT_PAID' | 'ORDER_NOT_COURIER' | 'ORDER_FULLY_REFUNDED' | 'ORDER_ALREADY_SHIPPED' | 'SHIPMENT_PARCEL_LIMIT' | 'IDEMPOTENCY_KEY_REUSED' | 'VALIDATION_FAILED'
>;

/** A shipment the shop may not record, with the stable code that says why. */
export class ShippingError extends DomainError {
  override name = 'ShippingError';
  constructor(code: ShippingRefusal, message: string, details?: ErrorDetail[]) {
    super(code, message, details);
  }
}
