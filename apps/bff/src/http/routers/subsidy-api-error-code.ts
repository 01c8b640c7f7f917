import type { ApiErrorCode } from '@checkout/protocol/contract';
import type { SubsidyError } from '../../domain/subsidy/subsidy-error';

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
