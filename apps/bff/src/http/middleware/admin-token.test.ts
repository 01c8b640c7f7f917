import { describe, expect, it } from 'vitest';
import { isAdminAuthorized } from './admin-token';

const token = 'admin-token-0123456789abcdef0123456789';

describe('isAdminAuthorized', () => {
  it('accepts exactly the configured bearer token', () => {
    expect(isAdminAuthorized(`Bearer ${token}`, token)).toBe(true);
    expect(isAdminAuthorized(`Bearer ${token}x`, token)).toBe(false);
    expect(isAdminAuthorized(`bearer ${token}`, token)).toBe(false);
    expect(isAdminAuthorized(token, token)).toBe(false);
    expect(isAdminAuthorized(undefined, token)).toBe(false);
  });

  it('is disabled when no (or a too short) token is configured', () => {
    expect(isAdminAuthorized('Bearer anything', null)).toBe(false);
    expect(isAdminAuthorized('Bearer short', 'short')).toBe(false);
  });
});
