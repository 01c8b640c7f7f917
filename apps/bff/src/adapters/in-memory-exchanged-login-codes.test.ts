import { describe, expect, it } from 'vitest';
import { DomainError, ProviderUnavailableError } from '../domain/domain-error';
import { InMemoryExchangedLoginCodes } from './in-memory-exchanged-login-codes';

const at = (ms: number): Date => new Date(Date.UTC(2026, 0, 1) + ms);
const alice = Promise.resolve({ userId: 'usr_alice', generation: 0 });

describe('InMemoryExchangedLoginCodes', () => {
  it('answers the same caller within the TTL, refuses other callers, forgets after the TTL', async () => {
    const codes = new InMemoryExchangedLoginCodes({ ttlMs: 60_000, maxEntries: 10 });
    codes.remember('code-1', '10.0.0.1', alice, at(0));
    const same = codes.lookup('code-1', '10.0.0.1', at(59_999));
    expect(same.kind).toBe('same-caller');
    if (same.kind === 'same-caller') expect(await same.identity).toEqual({ userId: 'usr_alice', generation: 0 });
    expect(codes.lookup('code-1', '10.0.0.2', at(1)).kind).toBe('other-caller');
    expect(codes.lookup('code-1', '10.0.0.1', at(60_000)).kind).toBe('unknown');
    expect(codes.lookup('code-2', '10.0.0.1', at(1)).kind).toBe('unknown');
  });

  it('keeps an invalid code refused but forgets an outage, so the retry can reach WeChat', async () => {
    const codes = new InMemoryExchangedLoginCodes({ ttlMs: 60_000, maxEntries: 10 });
    const invalid = Promise.reject(new DomainError('LOGIN_CODE_INVALID', 'used'));
    const outage = Promise.reject(new ProviderUnavailableError('down'));
    codes.remember('bad', 'ip', invalid, at(0));
    codes.remember('flaky', 'ip', outage, at(0));
    await Promise.allSettled([invalid, outage]);
    await new Promise((resolve) => setImmediate(resolve));
    const bad = codes.lookup('bad', 'ip', at(1));
    expect(bad.kind).toBe('same-caller');
    if (bad.kind === 'same-caller') await expect(bad.identity).rejects.toMatchObject({ code: 'LOGIN_CODE_INVALID' });
    expect(codes.lookup('flaky', 'ip', at(1)).kind).toBe('unknown');
  });

  it('stays within maxEntries, dropping the oldest', () => {
    const codes = new InMemoryExchangedLoginCodes({ ttlMs: 60_000, maxEntries: 3 });
    for (let i = 0; i < 5; i += 1) codes.remember(`code-${String(i)}`, 'ip', alice, at(i));
    expect([0, 1, 2, 3, 4].map((i) => codes.lookup(`code-${String(i)}`, 'ip', at(10)).kind)).toEqual(['unknown', 'unknown', 'same-caller', 'same-caller', 'same-caller']);
  });

  it('TTL 0 turns it off', () => {
    const codes = new InMemoryExchangedLoginCodes({ ttlMs: 0, maxEntries: 3 });
    codes.remember('code', 'ip', alice, at(0));
    expect(codes.lookup('code', 'ip', at(0)).kind).toBe('unknown');
  });
});
