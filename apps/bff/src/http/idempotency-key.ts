import { DomainError } from '../domain/domain-error';

const idempotencyKeyPattern = /^[\x21-\x7e]{1,128}$/;

/** The `Idempotency-Key` header: null when absent; VALIDATION_FAILED when not 1–128 visible ASCII characters. */
export function idempotencyKey(header: string): string | null {
  if (header === '') return null;
  if (!idempotencyKeyPattern.test(header)) {
    throw new DomainError('VALIDATION_FAILED', 'Idempotency-Key is invalid', [{ path: 'Idempotency-Key', message: '1–128 visible ASCII characters' }]);
  }
  return header;
}
