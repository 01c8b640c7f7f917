import type { ApiErrorCode } from '@checkout/protocol/contract';

/** Codes the client adds to the BFF's own: failures that never reached or never made sense to the BFF. */
export type ClientErrorCode =
  | 'NETWORK_ERROR'
  | 'CONTRACT_VIOLATION'
  | 'HTTP_ERROR'
  | 'INVALID_REQUEST'
  | 'LOGIN_FAILED'
  | 'LOGIN_UNAVAILABLE';

export type ErrorCode = ApiErrorCode | ClientErrorCode;

export interface ApiErrorDetail {
  path: string;
  message: string;
}

/** Every failure of a BFF call. `message` is safe to show; it never holds tokens or login codes. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: ErrorCode;
  /** HTTP status, or null when no response arrived. */
  readonly status: number | null;
  readonly details: readonly ApiErrorDetail[];

  constructor(code: ErrorCode, message: string, options: { status?: number | null; details?: readonly ApiErrorDetail[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? null;
    this.details = options.details ?? [];
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
