import { describe, expect, it } from 'vitest';
import { InMemoryAccessTokenStore } from '../../../test-support/in-memory/in-memory-access-token-store';
import { AccessTokenUnavailableError, type AccessTokenIssuer } from './access-token-issuer';
import { createAccessTokenProvider, type AccessTokenProvider } from './access-token-provider';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A stable_token stand-in: counts calls, mints `t1`, `t2`, …, and can be held until released. */
function issuer(expiresInSeconds = 7200) {
  const calls: { forceRefresh: boolean }[] = [];
  let gate: Promise<void> | null = null;
  let open: (() => void) | null = null;
  const api: AccessTokenIssuer & { calls: typeof calls; hold(): void; releaseHold(): void; fail: string | null } = {
    calls,
    fail: null,
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    releaseHold() {
      open?.();
      gate = null;
    },
    async issue(options) {
      calls.push(options);
      if (gate) await gate;
      if (api.fail) throw new AccessTokenUnavailableError(api.fail);
      return { token: `t${calls.length}`, expiresInSeconds };
    },
  };
  return api;
}

function world() {
  let now = new Date('2026-12-01T00:00:00Z');
  const clock = { now: () => new Date(now) };
  const store = new InMemoryAccessTokenStore();
  const wechat = issuer();
  const sleeps: number[] = [];
  let onSleep: (() => void) | null = null;
  // Sleeping moves the clock and lets the other instance run.
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    now = new Date(now.getTime() + ms);
    onSleep?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  const instance = (holder: string, extra: { waitAttempts?: number } = {}): AccessTokenProvider =>
    createAccessTokenProvider({ appId: 'wxapp', store, issuer: wechat, clock, holder, sleep, logger: silent, waitMs: 50, ...extra });
  return { store, wechat, instance, sleeps, whenSleeping: (hook: () => void) => (onSleep = hook), advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('access token provider', () => {
  it('fetches once, then serves the stored token until less than 5 minutes remain, then renews normally', async () => {
    const { wechat, instance, advance } = world();
    const a = instance('a');
    expect(await a.current()).toBe('t1');
    expect(await a.current()).toBe('t1');
    advance(7200_000 - 5 * 60_000 - 1000);
    expect(await a.current()).toBe('t1');
    expect(wechat.calls).toHaveLength(1);
    advance(2000);
    expect(await a.current()).toBe('t2');
    expect(wechat.calls).toEqual([{ forceRefresh: false }, { forceRefresh: false }]);
  });

  it('two instances share the stored token: the second never calls stable_token', async () => {
    const { wechat, instance } = world();
    expect(await instance('a').current()).toBe('t1');
    expect(await instance('b').current()).toBe('t1');
    expect(wechat.calls).toHaveLength(1);
  });

  it('concurrent first use: one instance renews under the lease, the other waits and reads its token', async () => {
    const { wechat, instance, sleeps, whenSleeping } = world();
    wechat.hold();
    // b finds the lease taken and waits: only then does a's stable_token answer.
    whenSleeping(() => wechat.releaseHold());
    const first = instance('a').current();
    const second = instance('b').current();
    expect(await Promise.all([first, second])).toEqual(['t1', 't1']);
    expect(wechat.calls).toHaveLength(1);
    expect(sleeps.length).toBeGreaterThan(0);
  });

  it('inside the renewal window the waiting instance uses the still-valid old token', async () => {
    const { wechat, instance, advance } = world();
    await instance('a').current();
    advance(7200_000 - 60_000);
    wechat.hold();
    const renewing = instance('a').current();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await instance('b').current()).toBe('t1');
    wechat.releaseHold();
    expect(await renewing).toBe('t2');
  });

  it('40001 forces one refresh; both instances that saw the same 40001 end with one new token', async () => {
    const { wechat, instance } = world();
    const a = instance('a');
    const b = instance('b');
    const used = await a.current();
    expect(await Promise.all([a.renewAfterRejection(used, 40001), b.renewAfterRejection(used, 40001)])).toEqual(['t2', 't2']);
    expect(wechat.calls).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
    // A late instance reporting the same rejected token gets the new one without a call.
    expect(await instance('c').renewAfterRejection(used, 40001)).toBe('t2');
    expect(wechat.calls).toHaveLength(2);
  });

  it('42001 renews without force (an expired token is replaced by a normal call)', async () => {
    const { wechat, instance } = world();
    const a = instance('a');
    await a.renewAfterRejection(await a.current(), 42001);
    expect(wechat.calls).toEqual([{ forceRefresh: false }, { forceRefresh: false }]);
  });

  it('a failed stable_token frees the lease and surfaces the reason; a later call may renew', async () => {
    const { wechat, instance, store } = world();
    wechat.fail = 'STABLE_TOKEN_ERRCODE:-1';
    await expect(instance('a').current()).rejects.toMatchObject({ reason: 'STABLE_TOKEN_ERRCODE:-1' });
    expect(store.rows.get('wxapp')?.holder).toBeNull();
    wechat.fail = null;
    expect(await instance('b').current()).toBe('t2');
  });

  it('gives up waiting when the lease holder never finishes and no valid token exists', async () => {
    const { wechat, instance, store } = world();
    wechat.hold();
    const stuck = instance('a').current();
    await new Promise((resolve) => setImmediate(resolve));
    // The holder's lease is 30 s; b waits 3 × 50 ms, far less.
    await expect(instance('b', { waitAttempts: 3 }).current()).rejects.toMatchObject({ reason: 'LEASE_WAIT_EXCEEDED' });
    expect(store.rows.get('wxapp')?.holder).toBe('a');
    wechat.releaseHold();
    expect(await stuck).toBe('t1');
  });
});
