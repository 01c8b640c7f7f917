import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devMerchant } from '@checkout/protocol/testing';
import { LOGIN_CODE_TTL_MS } from './jscode2session-routes';
import { startEmulator, type TestEmulator } from '../testing/test-fixtures';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startEmulator({ jscode2sessionPerMinute: 5, frozenClock: true });
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

async function exchange(params: Record<string, string>): Promise<Record<string, unknown>> {
  const query = new URLSearchParams({ appid: devMerchant.appId, secret: devMerchant.appSecret, grant_type: 'authorization_code', ...params });
  const response = await fetch(`${emu.url}/sns/jscode2session?${query.toString()}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('GET /sns/jscode2session', () => {
  it('exchanges an issued code once for openid and session_key', async () => {
    const code = emu.control.issueLoginCode({ openid: 'oTestOpenid000000000000001' });
    const answer = await exchange({ js_code: code });
    expect(answer).toEqual({ openid: 'oTestOpenid000000000000001', session_key: expect.stringMatching(/^[A-Za-z0-9+/]{22}==$/) as string });
    expect(await exchange({ js_code: code })).toMatchObject({ errcode: 40163, errmsg: expect.stringContaining('code been used') as string });
  });

  it('gives a different openid per code by default', async () => {
    const a = await exchange({ js_code: emu.control.issueLoginCode() });
    const b = await exchange({ js_code: emu.control.issueLoginCode() });
    expect(a.openid).toEqual(expect.any(String));
    expect(a.openid).not.toBe(b.openid);
  });

  it('answers 40029 for an unknown code, an expired code and a code issued for another app', async () => {
    expect(await exchange({ js_code: 'not-a-code' })).toMatchObject({ errcode: 40029 });
    const old = emu.control.issueLoginCode();
    emu.control.advanceClock(LOGIN_CODE_TTL_MS);
    expect(await exchange({ js_code: old })).toMatchObject({ errcode: 40029, errmsg: expect.stringMatching(/^invalid code, rid: /) as string });
    const foreign = emu.control.issueLoginCode({ appId: 'wxsomeoneelse' });
    expect(await exchange({ js_code: foreign })).toMatchObject({ errcode: 40029 });
  });

  it('answers 40013 for an unknown appid, 40125 for a wrong secret, 41008 without a code, 40002 for a bad grant_type', async () => {
    const code = emu.control.issueLoginCode();
    expect(await exchange({ appid: 'wxnope', js_code: code })).toMatchObject({ errcode: 40013 });
    expect(await exchange({ secret: 'wrong', js_code: code })).toMatchObject({ errcode: 40125 });
    expect(await exchange({})).toMatchObject({ errcode: 41008 });
    expect(await exchange({ grant_type: 'client_credential', js_code: code })).toMatchObject({ errcode: 40002 });
    // none of those consumed the code
    expect(await exchange({ js_code: code })).toHaveProperty('openid');
  });

  it('answers 45011 past the per-minute quota, and recovers the next minute', async () => {
    for (let i = 0; i < 5; i++) await exchange({ js_code: 'x' });
    const code = emu.control.issueLoginCode();
    expect(await exchange({ js_code: code })).toMatchObject({ errcode: 45011 });
    emu.control.advanceClock(60_000);
    expect(await exchange({ js_code: code })).toHaveProperty('openid');
  });

  it('answers errcode -1 under an injected system error', async () => {
    emu.control.setFaults('jscode2session', { systemErrorRate: 1, count: 1 });
    const code = emu.control.issueLoginCode();
    expect(await exchange({ js_code: code })).toMatchObject({ errcode: -1 });
    expect(await exchange({ js_code: code })).toHaveProperty('openid');
  });
});
