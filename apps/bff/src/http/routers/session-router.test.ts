import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { errorBodySchema, sessionLogoutResponseSchema, sessionResponseSchema } from '@checkout/protocol/contract';
import { devMerchant } from '@checkout/protocol/testing';
import type { TestStack } from '../../../test-support/test-stack';
import { startTestStack } from '../../../test-support/test-stack';
import { freshDatabase, releaseTestPostgres, testBackends, type FreshDatabase } from '../../../test-support/test-databases';

afterAll(releaseTestPostgres);

const adminToken = 'session-router-test-admin-token-0000000001';
const sessionSecret = 'session-router-test-session-secret-000001';

function jscode2sessionCalls(stack: TestStack): number {
  return stack.sent.filter((request) => request.url.includes('/sns/jscode2session')).length;
}

function tokenSubject(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string };
  return payload.sub;
}

// User upsert by openid on both databases.
describe.each(testBackends)('session router on %s', (backend) => {
  describe('POST /api/session', () => {
    let stack: TestStack;
    let database: FreshDatabase;
    beforeAll(async () => {
      database = await freshDatabase(backend, 'session');
      // This suite logs in from one address far more often than a buyer does.
      stack = await startTestStack({ ...database.env, ADMIN_TOKEN: adminToken, SESSION_SECRET: sessionSecret, LOGIN_RATE_LIMIT_MAX: '1000' });
      expect(stack.bff.database.dialect).toBe(backend);
    });
    afterAll(async () => {
      await stack.close();
      database.drop();
    });

    it('exchanges a wx.login code for a signed, expiring token that reveals nothing', async () => {
      const code = stack.emulator.control.issueLoginCode({ openid: 'o-session-test-openid' });
      const response = await stack.api('/api/session', { json: { code } });
      expect(response.status).toBe(200);
      const text = await response.text();
      const session = sessionResponseSchema.parse(JSON.parse(text));
      expect(Date.parse(session.expiresAt)).toBeGreaterThan(stack.emulator.control.now().getTime());
      const decoded = session.token
        .split('.')
        .map((part) => Buffer.from(part, 'base64url').toString('utf8'))
        .join('|');
      expect(`${text}${decoded}`).not.toMatch(/o-session-test-openid|session_key/);
      expect(stack.logLines.join('\n')).not.toMatch(/session_key|o-session-test-openid|devsecret/);

      const orders = await stack.api('/api/orders', { token: session.token });
      expect(orders.status).toBe(200);
      const user = await stack.bff.database.db.selectFrom('users').selectAll().where('openid', '=', 'o-session-test-openid').executeTakeFirstOrThrow();
      expect(Object.keys(user).sort()).toEqual(['created_at', 'id', 'last_login_at', 'openid', 'session_generation']);
    });

    it('refuses a used or unknown code with LOGIN_CODE_INVALID', async () => {
      const code = stack.emulator.control.issueLoginCode();
      expect((await stack.api('/api/session', { json: { code } })).status).toBe(200);
      // Past the exchanged-code cache's TTL a repeat reaches WeChat, which says "code been used".
      stack.emulator.control.advanceClock(61_000);
      for (const attempt of [code, 'not-a-code', 'A'.repeat(32)]) {
        const response = await stack.api('/api/session', { json: { code: attempt } });
        expect(response.status).toBe(400);
        expect(errorBodySchema.parse(await response.json()).error.code).toBe('LOGIN_CODE_INVALID');
      }
    });

    it('refuses codes that cannot be wx.login codes without calling jscode2session', async () => {
      const before = jscode2sessionCalls(stack);
      for (const code of ['with space', 'quote"d', 'semi;colon', '%41%42', 'code&appid=x', '登录码', 'tab\tcode', 'x'.repeat(128).replace(/x$/, '/')]) {
        const response = await stack.api('/api/session', { json: { code } });
        expect(response.status, code).toBe(400);
        expect(errorBodySchema.parse(await response.json()).error.code).toBe('LOGIN_CODE_INVALID');
      }
      expect(jscode2sessionCalls(stack)).toBe(before);
      // A plausible code still goes to WeChat (and fails there, being made up).
      expect((await stack.api('/api/session', { json: { code: 'Zz09-_.~'.repeat(4) } })).status).toBe(400);
      expect(jscode2sessionCalls(stack)).toBe(before + 1);
    });

    it('answers a repeat of an exchanged code from the same caller with a session of the same user, without a second jscode2session call', async () => {
      const code = stack.emulator.control.issueLoginCode({ openid: 'o-session-repeat' });
      const before = jscode2sessionCalls(stack);
      const [first, second] = await Promise.all([stack.api('/api/session', { json: { code } }), stack.api('/api/session', { json: { code } })]);
      expect([first.status, second.status]).toEqual([200, 200]);
      const third = await stack.api('/api/session', { json: { code } });
      expect(third.status).toBe(200);
      const bodies = [await first.json(), await second.json(), await third.json()] as unknown[];
      for (const body of bodies) expect(Object.keys(body as object).sort()).toEqual(['expiresAt', 'token']);
      const subjects = bodies.map((body) => tokenSubject(sessionResponseSchema.parse(body).token));
      expect(new Set(subjects).size).toBe(1);
      expect(jscode2sessionCalls(stack)).toBe(before + 1);
      const user = await stack.bff.database.db.selectFrom('users').select('id').where('openid', '=', 'o-session-repeat').executeTakeFirstOrThrow();
      expect(subjects[0]).toBe(user.id);
    });

    it('logout refuses every token issued before it, and the code that logged in; a new login works', async () => {
      const code = stack.emulator.control.issueLoginCode({ openid: 'o-session-logout' });
      const onThisPhone = sessionResponseSchema.parse(await (await stack.api('/api/session', { json: { code } })).json()).token;
      const onAnotherPhone = await stack.login('o-session-logout');
      const stranger = await stack.login('o-session-bystander');
      for (const token of [onThisPhone, onAnotherPhone]) expect((await stack.api('/api/orders', { token })).status).toBe(200);

      const logout = await stack.api('/api/session/logout', { method: 'POST', token: onThisPhone });
      expect(logout.status).toBe(200);
      expect(sessionLogoutResponseSchema.parse(await logout.json())).toEqual({ loggedOut: true });

      for (const token of [onThisPhone, onAnotherPhone]) {
        const response = await stack.api('/api/orders', { token });
        expect(response.status).toBe(401);
        expect(errorBodySchema.parse(await response.json()).error.code).toBe('UNAUTHENTICATED');
      }
      expect((await stack.api('/api/session/logout', { method: 'POST', token: onThisPhone })).status).toBe(401);
      expect((await stack.api('/api/session/logout', { method: 'POST' })).status).toBe(401);
      // Still inside the cache's TTL, but the logout voids it.
      const replay = await stack.api('/api/session', { json: { code } });
      expect(replay.status).toBe(400);
      expect(errorBodySchema.parse(await replay.json()).error.code).toBe('LOGIN_CODE_INVALID');
      // Other buyers are not affected; the same buyer logs in again.
      expect((await stack.api('/api/orders', { token: stranger })).status).toBe(200);
      expect((await stack.api('/api/orders', { token: await stack.login('o-session-logout') })).status).toBe(200);
    });

    it('an operator revokes a user\'s sessions with the admin token', async () => {
      const token = await stack.login('o-session-revoked');
      const userId = tokenSubject(token);
      const path = `/admin/users/${userId}/revoke-sessions`;
      expect((await stack.api(path, { method: 'POST' })).status).toBe(401);
      expect((await stack.api(path, { method: 'POST', headers: { authorization: `Bearer ${'w'.repeat(40)}` } })).status).toBe(401);
      expect((await stack.api('/api/orders', { token })).status).toBe(200);
      const unknown = await stack.api('/admin/users/usr_nobody/revoke-sessions', { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
      expect(unknown.status).toBe(404);
      const revoked = await stack.api(path, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
      expect(revoked.status).toBe(200);
      expect(await revoked.json()).toEqual({ revoked: true });
      expect((await stack.api('/api/orders', { token })).status).toBe(401);
      const row = await stack.bff.database.db.selectFrom('users').select('session_generation').where('id', '=', userId).executeTakeFirstOrThrow();
      expect(Number(row.session_generation)).toBe(1);
    });

    it('accepts a token issued before generations existed until the user logs out', async () => {
      const current = await stack.login('o-session-legacy');
      const userId = tokenSubject(current);
      const payload = Buffer.from(JSON.stringify({ sub: userId, exp: Math.floor(stack.emulator.control.now().getTime() / 1000) + 600 })).toString('base64url');
      const legacy = `v1.${payload}.${createHmac('sha256', sessionSecret).update(`v1.${payload}`).digest('base64url')}`;
      expect((await stack.api('/api/orders', { token: legacy })).status).toBe(200);
      expect((await stack.api('/api/session/logout', { method: 'POST', token: current })).status).toBe(200);
      expect((await stack.api('/api/orders', { token: legacy })).status).toBe(401);
    });

    it('maps a WeChat outage to PAYMENT_PROVIDER_UNAVAILABLE without leaking the AppSecret', async () => {
      stack.emulator.control.setFaults('jscode2session', { httpStatus: 502 });
      try {
        const response = await stack.api('/api/session', { json: { code: stack.emulator.control.issueLoginCode() } });
        expect(response.status).toBe(503);
        const text = await response.text();
        expect(errorBodySchema.parse(JSON.parse(text)).error.code).toBe('PAYMENT_PROVIDER_UNAVAILABLE');
        expect(text + stack.logLines.join('\n')).not.toContain(devMerchant.appSecret);
      } finally {
        stack.emulator.control.clearFaults();
      }
    });

    it('refuses missing, forged and expired tokens', async () => {
      const token = await stack.login();
      const [prefix, payload, signature] = token.split('.');
      const forgedPayload = Buffer.from(JSON.stringify({ sub: 'usr_someone_else', exp: 4_102_444_800 })).toString('base64url');
      for (const bad of [undefined, 'garbage', `${prefix}.${forgedPayload}.${signature}`, `${prefix}.${payload}.${'A'.repeat(signature?.length ?? 43)}`]) {
        const response = await stack.api('/api/orders', bad === undefined ? {} : { token: bad });
        expect(response.status).toBe(401);
        expect(errorBodySchema.parse(await response.json()).error.code).toBe('UNAUTHENTICATED');
      }
      stack.emulator.control.advanceClock(2 * 3600 * 1000 + 1000);
      expect((await stack.api('/api/orders', { token })).status).toBe(401);
    });

    it('validates the body', async () => {
      const response = await stack.api('/api/session', { json: { code: '' } });
      expect(response.status).toBe(400);
      expect(errorBodySchema.parse(await response.json()).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'code' }] });
      const text = await stack.api('/api/session', { method: 'POST', body: 'code=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(text.status).toBe(415);
    });
  });

  describe('POST /api/session from many client addresses (TRUST_PROXY=1)', () => {
    const budget = 30;
    const perIp = 8;
    const wechatQuota = 60;
    let stack: TestStack;
    let database: FreshDatabase;
    beforeAll(async () => {
      database = await freshDatabase(backend, 'session_flood');
      stack = await startTestStack(
        { ...database.env, TRUST_PROXY: '1', LOGIN_RATE_LIMIT_MAX: String(perIp), LOGIN_BUDGET_MAX: String(budget), LOGIN_BUDGET_WINDOW_MS: '60000' },
        {},
        { jscode2sessionPerMinute: wechatQuota },
      );
      expect(stack.bff.database.dialect).toBe(backend);
    });
    afterAll(async () => {
      await stack.close();
      database.drop();
    });

    const loginFrom = (ip: string, code: string): Promise<Response> => stack.api('/api/session', { json: { code }, headers: { 'x-forwarded-for': ip } });

    it('limits logins per client IP far below the rest of the API', async () => {
      const statuses: number[] = [];
      // Malformed codes: counted by the limit, yet no WeChat quota is spent on them.
      for (let i = 0; i <= perIp; i += 1) statuses.push((await loginFrom('192.0.2.50', `bad code ${String(i)}`)).status);
      expect(statuses).toEqual([...Array<number>(perIp).fill(400), 429]);
      const over = await loginFrom('192.0.2.50', stack.emulator.control.issueLoginCode());
      expect(over.status).toBe(429);
      expect(errorBodySchema.parse(await over.json()).error.code).toBe('RATE_LIMITED');
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      // The same client still browses; another client still logs in.
      expect((await stack.api('/api/products', { headers: { 'x-forwarded-for': '192.0.2.50' } })).status).toBe(200);
      expect((await loginFrom('192.0.2.51', stack.emulator.control.issueLoginCode())).status).toBe(200);
    });

    it('never answers a code exchanged for one client to another client', async () => {
      const code = stack.emulator.control.issueLoginCode({ openid: 'o-session-victim' });
      expect((await loginFrom('192.0.2.60', code)).status).toBe(200);
      const before = jscode2sessionCalls(stack);
      const stolen = await loginFrom('192.0.2.61', code);
      expect(stolen.status).toBe(400);
      expect(errorBodySchema.parse(await stolen.json()).error.code).toBe('LOGIN_CODE_INVALID');
      expect(jscode2sessionCalls(stack)).toBe(before);
    });

    it('a flood of made-up codes from several addresses stays inside the budget while real buyers log in', async () => {
      // A fresh minute for the emulator's quota and the BFF's budget alike (one shared clock).
      stack.emulator.control.advanceClock(61_000);
      const before = jscode2sessionCalls(stack);
      const flooders = Array.from({ length: 10 }, (_, i) => `198.51.100.${String(i + 1)}`);
      const madeUp = (ip: string, n: number): string => `${ip.replaceAll('.', 'x')}z${String(n)}`.padEnd(32, 'Q');
      // Ten attackers sending side by side, round after round (a real buyer arrives in the middle).
      const statuses: number[] = [];
      let duringFlood: Promise<Response> | null = null;
      for (let round = 0; round < 12; round += 1) {
        if (round === 6) duringFlood = loginFrom('203.0.113.20', stack.emulator.control.issueLoginCode({ openid: 'o-buyer-during-flood' }));
        statuses.push(...(await Promise.all(flooders.map(async (ip) => (await loginFrom(ip, madeUp(ip, round))).status))));
      }
      const afterFlood = await loginFrom('203.0.113.21', stack.emulator.control.issueLoginCode({ openid: 'o-buyer-after-flood' }));

      // 120 plausible codes would have used up WeChat's 60 a minute: the buyers would get 429.
      const during = await duringFlood;
      expect(during?.status).toBe(200);
      expect(afterFlood.status).toBe(200);
      sessionResponseSchema.parse(await afterFlood.json());
      expect(jscode2sessionCalls(stack) - before).toBeLessThanOrEqual(budget);
      expect(statuses.filter((status) => status !== 400 && status !== 429)).toEqual([]);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    });
  });
});
