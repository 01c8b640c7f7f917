import type { ErrorBody } from '@checkout/protocol/contract';
import { ZodError } from 'zod';
import { DomainError } from '../domain/domain-error';
import { errorStatus } from './error-status';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** False for unknown errors: they are logged in full and answered generically. */
  expected: boolean;
}

/** Any thrown value → contract error body. Unknown errors never leak their message. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof DomainError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
    return { status: errorStatus[error.code], body, expected: true };
  }
  if (error instanceof ZodError) {
    // Paths and rule messages only: received values (possibly PII) are not echoed.
    const details = error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));
    return { status: errorStatus.VALIDATION_FAILED, body: { error: { code: 'VALIDATION_FAILED', message: 'request is invalid', details } }, expected: true };
  }
  return { status: 500, body: { error: { code: 'INTERNAL_ERROR', message: 'internal error' } }, expected: false };
}
