import { describe, expect, it } from 'vitest';
import { apiErrorCodes, errorBodySchema } from './error-body';

describe('errorBodySchema', () => {
  it.each(apiErrorCodes)('accepts code %s', (code) => {
    expect(errorBodySchema.safeParse({ error: { code, message: 'm' } }).success).toBe(true);
  });

  it('accepts field details for VALIDATION_FAILED', () => {
    const body = { error: { code: 'VALIDATION_FAILED', message: 'bad input', details: [{ path: 'items.0.quantity', message: 'too big' }] } };
    expect(errorBodySchema.parse(body)).toEqual(body);
  });

  it('has unique codes', () => {
    expect(new Set(apiErrorCodes).size).toBe(apiErrorCodes.length);
  });

  it.each([
    ['an unknown code (the union is closed)', { error: { code: 'TEAPOT', message: 'm' } }],
    ['a lower-case code', { error: { code: 'not_found', message: 'm' } }],
    ['a missing message', { error: { code: 'NOT_FOUND' } }],
    ['a flat body', { code: 'NOT_FOUND', message: 'm' }],
    ['details that are not a list', { error: { code: 'VALIDATION_FAILED', message: 'm', details: { path: 'x', message: 'y' } } }],
    ['details without a path', { error: { code: 'VALIDATION_FAILED', message: 'm', details: [{ message: 'y' }] } }],
  ])('refuses %s', (_name, body) => {
    expect(errorBodySchema.safeParse(body).success).toBe(false);
  });
});
