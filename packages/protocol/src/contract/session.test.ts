import { describe, expect, it } from 'vitest';
import { sessionLogoutResponseSchema, sessionRequestSchema, sessionResponseSchema } from './session';

describe('sessionRequestSchema', () => {
  it('accepts a wx.login code', () => {
    expect(sessionRequestSchema.parse({ code: '0a3Xyz000abcDEF1234567890' })).toEqual({ code: '0a3Xyz000abcDEF1234567890' });
  });

  it.each([
    ['a missing code', {}],
    ['an empty code', { code: '' }],
    ['a code over 128 chars', { code: 'c'.repeat(129) }],
    ['a numeric code', { code: 123 }],
    ['no body', undefined],
  ])('refuses %s', (_name, body) => {
    expect(sessionRequestSchema.safeParse(body).success).toBe(false);
  });

  it('drops an openid the client tries to send (the server resolves it)', () => {
    expect(sessionRequestSchema.parse({ code: 'c', openid: 'forged' })).toEqual({ code: 'c' });
  });
});

describe('sessionResponseSchema', () => {
  it('accepts a token with an ISO instant', () => {
    expect(sessionResponseSchema.safeParse({ token: 't0k', expiresAt: '2025-11-25T08:00:00.000Z' }).success).toBe(true);
  });

  it.each([
    ['an empty token', { token: '', expiresAt: '2025-11-25T08:00:00Z' }],
    ['a missing expiry', { token: 't' }],
    ['an epoch number', { token: 't', expiresAt: 1764057600 }],
    ['a date without time', { token: 't', expiresAt: '2025-11-25' }],
    ['a non-date', { token: 't', expiresAt: 'tomorrow' }],
  ])('refuses %s', (_name, body) => {
    expect(sessionResponseSchema.safeParse(body).success).toBe(false);
  });
});

describe('sessionLogoutResponseSchema', () => {
  it('accepts the logout answer and nothing else', () => {
    expect(sessionLogoutResponseSchema.parse({ loggedOut: true })).toEqual({ loggedOut: true });
    for (const body of [{ loggedOut: false }, {}, { loggedOut: 'true' }]) expect(sessionLogoutResponseSchema.safeParse(body).success).toBe(false);
  });
});
