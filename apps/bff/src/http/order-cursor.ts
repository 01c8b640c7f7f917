import { DomainError } from '../domain/domain-error';

export interface OrderCursor {
  createdAt: Date;
  id: string;
}

/** Opaque to clients: base64url of [createdAt ISO, order id]. */
export function encodeOrderCursor(cursor: OrderCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString('base64url');
}

export function decodeOrderCursor(value: string): OrderCursor {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      const createdAt = new Date(parsed[0]);
      if (!Number.isNaN(createdAt.getTime())) return { createdAt, id: parsed[1] };
    }
  } catch {
    // fall through to the validation error
  }
  throw new DomainError('VALIDATION_FAILED', 'cursor is invalid', [{ path: 'cursor', message: 'use nextCursor from the previous page' }]);
}
