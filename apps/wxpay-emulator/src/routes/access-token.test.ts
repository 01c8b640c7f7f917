import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devMerchant } from '@checkout/protocol/testing';
import { FORCE_REFRESH_PER_DAY } from '../state/access-tokens';
import { startEmulator, type TestEmulator } from '../testing/test-fixtures';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startEmulator({ frozenClock: true, startTime: new Date('2025-06-01T01:00:00Z') });
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

type Answer = Record<string, unknown>;

async function stableToken(body: unknown, init: { raw?: string; contentType?: string; method?: string } = {}): Promise<Answer> {
  const response = await fetch(`${emu.url}/cgi-bin/stable_token`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': init.contentType ?? 'application/json' },
    ...(init.method === 'GET' ? {} : { body: init.raw ?? JSON.stringify(body) }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as Answer;
}

const credentials = { grant_type: 'client_credential', appid: devMerchant.appId, secret: devMerchant.appSecret };

/** A /wxa call that needs nothing but the token: get_order of an unknown order (10060001 when the token is good). */
async function wxaWith(token: string | undefined): Promise<Answer> {
  const query = token === undefined ? '' : `?access_token=${encodeURIComponent(token)}`;
  const response = await fetch(`${emu.url}/wxa/sec/order/get_order${query}`, { method: 'POST', body: JSON.stringify({ transaction_id: '4200000000000000000000000001' }) });
  return (await response.json()) as Answer;
}

const advanceS = (seconds: number): Date => emu.control.advanceClock(seconds * 1000);

describe('POST /cgi-bin/stable_token', () => {
  it('returns the same token while it is valid, with expires_in counting down from 7200', async () => {
    const first = await stableToken(credentials);
    expect(first).toEqual({ access_token: expect.stringMatching(/^\d+_[A-Za-z0-9_-]{100,}$/) as string, expires_in: 7200 });
    advanceS(1000);
    const second = await stableToken({ ...credentials, force_refresh: false });
    expect(second).toEqual({ access_token: first.access_token, expires_in: 6200 });
    expect(emu.control.accessTokens().issued).toBe(1);
  });

  it('renews 5 minutes before expiry: expires_in never drops below 300 and the old token works until it expires', async () => {
    const first = await stableToken(credentials);
    advanceS(7200 - 301);
    expect(await stableToken(credentials)).toEqual({ access_token: first.access_token, expires_in: 301 });
    advanceS(2);
    const renewed = await stableToken(credentials);
    expect(renewed.access_token).not.toBe(first.access_token);
    expect(renewed.expires_in).toBe(7200);
    // both work inside the window
    expect(await wxaWith(first.access_token as string)).toMatchObject({ errcode: 10060001 });
    expect(await wxaWith(renewed.access_token as string)).toMatchObject({ errcode: 10060001 });
    advanceS(299);
    expect(await wxaWith(first.access_token as string)).toMatchObject({ errcode: 42001, errmsg: expect.stringMatching(/^access_token expired/) as string });
    expect(await wxaWith(renewed.access_token as string)).toMatchObject({ errcode: 10060001 });
    expect(emu.control.accessTokens().issued).toBe(2);
  });

  it('expires on the emulator clock: 42001 after 7200 s, and the next call mints a new token', async () => {
    const first = await stableToken(credentials);
    advanceS(7200);
    expect(await wxaWith(first.access_token as string)).toMatchObject({ errcode: 42001 });
    const next = await stableToken(credentials);
    expect(next.access_token).not.toBe(first.access_token);
    expect(next.expires_in).toBe(7200);
  });

  it('force_refresh invalidates the previous token at once', async () => {
    const first = await stableToken(credentials);
    advanceS(10);
    const forced = await stableToken({ ...credentials, force_refresh: true });
    expect(forced).toEqual({ access_token: expect.any(String) as string, expires_in: 7200 });
    expect(forced.access_token).not.toBe(first.access_token);
    expect(await wxaWith(first.access_token as string)).toMatchObject({ errcode: 40001, errmsg: expect.stringMatching(/^invalid credential, access_token is invalid or not latest/) as string });
    expect(await wxaWith(forced.access_token as string)).toMatchObject({ errcode: 10060001 });
  });

  it('does not force-refresh twice within 30 s (the current token comes back), and allows 20 a day', async () => {
    const a = await stableToken({ ...credentials, force_refresh: true });
    advanceS(29);
    const b = await stableToken({ ...credentials, force_refresh: true });
    expect(b).toEqual({ access_token: a.access_token, expires_in: 7200 - 29 });
    advanceS(1);
    const c = await stableToken({ ...credentials, force_refresh: true });
    expect(c.access_token).not.toBe(a.access_token);
    for (let i = 2; i < FORCE_REFRESH_PER_DAY; i++) {
      advanceS(30);
      expect(await stableToken({ ...credentials, force_refresh: true })).toHaveProperty('access_token');
    }
    expect(emu.control.accessTokens().issued).toBe(FORCE_REFRESH_PER_DAY);
    advanceS(30);
    expect(await stableToken({ ...credentials, force_refresh: true })).toMatchObject({ errcode: 45009 });
    // normal mode still works, and the quota is back the next (Beijing) day
    expect(await stableToken(credentials)).toHaveProperty('access_token');
    advanceS(24 * 3600);
    expect(await stableToken({ ...credentials, force_refresh: true })).toHaveProperty('access_token');
  });

  it('answers the documented errcodes for bad credentials', async () => {
    expect(await stableToken({ ...credentials, secret: 'wrong' })).toMatchObject({ errcode: 40125, errmsg: expect.stringMatching(/^invalid appsecret rid: /) as string });
    expect(await stableToken({ ...credentials, appid: 'wxnope' })).toMatchObject({ errcode: 40013, errmsg: expect.stringMatching(/^invalid appid/) as string });
    expect(await stableToken({ ...credentials, grant_type: 'authorization_code' })).toMatchObject({ errcode: 40002 });
    expect(await stableToken({ appid: devMerchant.appId, secret: devMerchant.appSecret })).toMatchObject({ errcode: 40002 });
    expect(await stableToken({ grant_type: 'client_credential', secret: devMerchant.appSecret })).toMatchObject({ errcode: 41002 });
    expect(await stableToken({ grant_type: 'client_credential', appid: devMerchant.appId })).toMatchObject({ errcode: 41004 });
    expect(await stableToken({ ...credentials, appid: 42 })).toMatchObject({ errcode: 41002 });
    expect(await stableToken({ ...credentials, force_refresh: 'true' })).toMatchObject({ errcode: 47001 });
    expect(emu.control.accessTokens().issued).toBe(0);
  });

  it('takes JSON only: a form body carries no fields (41002), GET is refused with 43002', async () => {
    const form = new URLSearchParams(credentials).toString();
    expect(await stableToken(undefined, { raw: form, contentType: 'application/x-www-form-urlencoded' })).toMatchObject({ errcode: 41002 });
    expect(await stableToken(undefined, { raw: '' })).toMatchObject({ errcode: 41002 });
    expect(await stableToken(undefined, { method: 'GET' })).toMatchObject({ errcode: 43002 });
  });
});

describe('access_token on /wxa calls', () => {
  it('answers 41001 without a token and 40001 for an unknown one', async () => {
    expect(await wxaWith(undefined)).toMatchObject({ errcode: 41001, errmsg: expect.stringMatching(/^access_token missing/) as string });
    expect(await wxaWith('')).toMatchObject({ errcode: 41001 });
    expect(await wxaWith('85_notatoken')).toMatchObject({ errcode: 40001 });
  });

  it('control API: expire → 42001, invalidate → 40001, and stable_token mints a new one after either', async () => {
    const first = (await stableToken(credentials)).access_token as string;
    const expired = await fetch(`${emu.url}/__emulator/access-tokens/expire`, { method: 'POST' });
    expect(expired.status).toBe(200);
    expect(await wxaWith(first)).toMatchObject({ errcode: 42001 });
    const second = (await stableToken(credentials)).access_token as string;
    expect(second).not.toBe(first);
    await fetch(`${emu.url}/__emulator/access-tokens/invalidate`, { method: 'POST' });
    expect(await wxaWith(second)).toMatchObject({ errcode: 40001 });
    const third = (await stableToken(credentials)).access_token as string;
    expect(await wxaWith(third)).toMatchObject({ errcode: 10060001 });
    const view = (await (await fetch(`${emu.url}/__emulator/access-tokens`)).json()) as { issued: number; tokens: { appid: string; state: string }[] };
    expect(view.issued).toBe(3);
    // invalidate applied to every token issued so far, the expired one too
    expect(view.tokens.map((t) => t.state)).toEqual(['invalidated', 'invalidated', 'valid']);
    expect(await wxaWith(first)).toMatchObject({ errcode: 40001 });
    expect(view.tokens.every((t) => t.appid === devMerchant.appId)).toBe(true);
    expect(JSON.stringify(view)).not.toContain(first);
    expect(JSON.stringify(view)).not.toContain(third);
  });
});

describe('GET /cgi-bin/token', () => {
  const basic = async (params: Record<string, string> = {}): Promise<Answer> => {
    const query = new URLSearchParams({ ...credentials, ...params });
    return (await (await fetch(`${emu.url}/cgi-bin/token?${query.toString()}`)).json()) as Answer;
  };

  it('mints a new token per call; the previous one keeps working for 5 minutes only', async () => {
    const a = await basic();
    expect(a).toEqual({ access_token: expect.any(String) as string, expires_in: 7200 });
    advanceS(60);
    const b = await basic();
    expect(b.access_token).not.toBe(a.access_token);
    advanceS(299);
    expect(await wxaWith(a.access_token as string)).toMatchObject({ errcode: 10060001 });
    advanceS(1);
    expect(await wxaWith(a.access_token as string)).toMatchObject({ errcode: 40001 });
    expect(await wxaWith(b.access_token as string)).toMatchObject({ errcode: 10060001 });
  });

  it('is isolated from stable_token tokens', async () => {
    const stable = (await stableToken(credentials)).access_token as string;
    await basic();
    await basic();
    expect(await wxaWith(stable)).toMatchObject({ errcode: 10060001 });
    expect((await stableToken(credentials)).access_token).toBe(stable);
  });

  it('answers 40125 / 40013 / 40002 for bad credentials', async () => {
    expect(await basic({ secret: 'nope' })).toMatchObject({ errcode: 40125 });
    expect(await basic({ appid: 'wxnope' })).toMatchObject({ errcode: 40013 });
    expect(await basic({ grant_type: 'x' })).toMatchObject({ errcode: 40002 });
  });
});

describe('faults on stableToken', () => {
  it('answers errcode -1 under an injected system error, then recovers', async () => {
    emu.control.setFaults('stableToken', { systemErrorRate: 1, count: 1 });
    expect(await stableToken(credentials)).toEqual({ errcode: -1, errmsg: 'system error' });
    expect(await stableToken(credentials)).toHaveProperty('access_token');
  });

  it('answers an injected HTTP status without minting', async () => {
    emu.control.setFaults('stableToken', { httpStatus: 503, count: 1 });
    const response = await fetch(`${emu.url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify(credentials) });
    expect(response.status).toBe(503);
    expect(emu.control.accessTokens().issued).toBe(0);
  });

  it('drops the connection after minting (the token exists, the client never saw it)', async () => {
    emu.control.setFaults('stableToken', { dropConnectionRate: 1, count: 1 });
    await expect(fetch(`${emu.url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify(credentials) })).rejects.toThrow();
    expect(emu.control.accessTokens().issued).toBe(1);
    expect(await stableToken(credentials)).toHaveProperty('access_token');
    expect(emu.control.accessTokens().issued).toBe(1);
  });
});
