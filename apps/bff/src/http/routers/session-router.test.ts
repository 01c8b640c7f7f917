import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, sessionResponseSchema } from '@checkout/protocol/contract';
import { devMerchant } from '@checkout/protocol/testing';
import type { TestStack } from '../../test-support/test-stack';
import { startTestStack } from '../../test-support/test-stack';
import { freshDatabase, releaseTestPostgres, testBackends, type FreshDatabase } from '../../test-support/test-databases';

afterAll(releaseTestPostgres);

// User upsert by openid on both databases.
describe.each(testBackends)('session router on %s', (backend) => {
  describe('POST /api/session', () => {
    let stack: TestStack;
    let database: FreshDatabase;
    beforeAll(async () => {
      database = await freshDatabase(backend, 'session');
      stack = await startTestStack({ ...database.env });
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
      expect(Object.keys(user).sort()).toEqual(['created_at', 'id', 'last_login_at', 'openid']);
    });

    it('refuses a used or unknown code with LOGIN_CODE_INVALID', async () => {
      const code = stack.emulator.control.issueLoginCode();
      expect((await stack.api('/api/session', { json: { code } })).status).toBe(200);
      for (const attempt of [code, 'not-a-code']) {
        const response = await stack.api('/api/session', { json: { code: attempt } });
        expect(response.status).toBe(400);
        expect(errorBodySchema.parse(await response.json()).error.code).toBe('LOGIN_CODE_INVALID');
      }
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
});
