import type { ApiErrorCode } from '@checkout/protocol/contract';

export interface ErrorDetail {
  path: string;
  message: string;
}

/**
 * Every error a use-case raises on purpose. It carries a stable contract code and no HTTP status:
 * the HTTP layer maps codes to statuses in one table.
 */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** WeChat Pay (or WeChat login) could not be reached or kept failing after bounded retries. */
export class ProviderUnavailableError extends DomainError {
  override name = 'ProviderUnavailableError';
  constructor(message: string, options?: ErrorOptions) {
    super('PAYMENT_PROVIDER_UNAVAILABLE', message, undefined, options);
  }
}

/** WeChat Pay answered with a definitive business error (`err_code`). */
export class ProviderRejectedError extends DomainError {
  override name = 'ProviderRejectedError';
  constructor(
    readonly providerCode: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('PAYMENT_PROVIDER_REJECTED', message, undefined, options);
  }
}
