import { verify } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devMerchant, testKeys, testPlatformPublicKeys } from '@checkout/protocol/testing';
import { buildV3Authorization, encryptOaep, GOV_SUBSIDY_SYNC_PATH, verifyV3Response, type WxPaySignatureError } from '@checkout/protocol/wxpay';
import { startEmulator, type TestEmulator } from '../testing/test-fixtures';

const restricted = {
  ...devMerchant,
  mchId: '1900000333',
  appId: 'wxrestricted000003',
  govSubsidy: { allowedRegionCodes: [440300] },
};
const notAllowed = { ...devMerchant, mchId: '1900000444', appId: 'wxnotallowed000004', govSubsidy: { allowed: false } };

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startEmulator({ merchants: [devMerchant, restricted, notAllowed], frozenClock: true });
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

function syncBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    real_name: encryptOaep('张三', testKeys.platform.publicKey),
    id_card_number: encryptOaep('110101199003074477', testKeys.platform.publicKey),
    phone_number: encryptOaep('13800138000', testKeys.platform.publicKey),
    appliance_id: 1,
    out_trade_no: 'GOV0001',
    energy_grade: 'FIRST_LEVEL',
    receive_region_code: '110101',
    brand: '海尔',
    qualification_region_code: 310100,
    seller_name: '示例电器有限公司',
    license_number: '91110108397173806M',
    order_amount: 10000,
    discount_amount: 2000,
    transaction_time: '2025-01-14T19:55:06+08:00',
    mch_order_id: 'M123',
    mch_name: '示例电器旗舰店',
    sale_model: 'SALE_MODEL_ONLINE',
    cate_state: 'CATE_STATE_REDEEM',
    identity_document_type: 'ID_DOC_TYPE_ID_CARD',
    ...overrides,
  };
}

interface SendOptions {
  mchId?: string;
  body?: string;
  serial?: string | null;
  authorization?: string | null;
  privateKey?: typeof testKeys.merchant.privateKey;
  timestampSeconds?: number;
}

async function send(options: SendOptions = {}): Promise<{ status: number; text: string; json: { code: string; message: string }; headers: Headers }> {
  const body = options.body ?? JSON.stringify(syncBody());
  const authorization =
    options.authorization === undefined
      ? buildV3Authorization({
          method: 'POST',
          pathWithQuery: GOV_SUBSIDY_SYNC_PATH,
          body,
          mchId: options.mchId ?? devMerchant.mchId,
          serialNo: devMerchant.merchantSerialNo,
          privateKey: options.privateKey ?? testKeys.merchant.privateKey,
          timestampSeconds: options.timestampSeconds ?? Math.floor(emu.control.now().getTime() / 1000),
          nonce: `nonce${Math.random().toString(36).slice(2)}`,
        })
      : options.authorization;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (authorization !== null) headers.authorization = authorization;
  const serial = options.serial === undefined ? devMerchant.platformPublicKeyId : options.serial;
  if (serial !== null) headers['wechatpay-serial'] = serial;
  const response = await fetch(`${emu.url}${GOV_SUBSIDY_SYNC_PATH}`, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as { code: string; message: string }, headers: response.headers };
}

function verifyAnswer(answer: { text: string; headers: Headers }): void {
  verifyV3Response({
    headers: {
      timestamp: answer.headers.get('wechatpay-timestamp'),
      nonce: answer.headers.get('wechatpay-nonce'),
      signature: answer.headers.get('wechatpay-signature'),
      serial: answer.headers.get('wechatpay-serial'),
    },
    body: answer.text,
    publicKeys: testPlatformPublicKeys,
    nowSeconds: Math.floor(emu.control.now().getTime() / 1000),
  });
}

describe('POST /v3/gov/subsidy/transactions/sync', () => {
  it('accepts a signed sync, decrypts the OAEP fields and answers with a verifiable Wechatpay signature', async () => {
    emu.control.seedOrder({ outTradeNo: 'GOV0001', totalFee: 10000 });
    emu.control.payOrder('GOV0001');
    const answer = await send();
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ code: 'SUCCESS', message: expect.any(String) as string });
    expect(answer.headers.get('wechatpay-serial')).toBe(devMerchant.platformPublicKeyId);
    verifyAnswer(answer);
    // And with node:crypto directly, over the documented message, sharing no code with the emulator's signer.
    const message = `${answer.headers.get('wechatpay-timestamp') ?? ''}\n${answer.headers.get('wechatpay-nonce') ?? ''}\n${answer.text}\n`;
    const signature = Buffer.from(answer.headers.get('wechatpay-signature') ?? '', 'base64');
    expect(verify('sha256', Buffer.from(message, 'utf8'), testKeys.platform.publicKey, signature)).toBe(true);
    const [sync] = emu.control.govSyncs();
    expect(sync).toMatchObject({ mchId: devMerchant.mchId, serial: devMerchant.platformPublicKeyId, orderKnown: true, orderPaid: true });
    expect(sync?.body).toMatchObject({ real_name: '张三', id_card_number: '110101199003074477', phone_number: '13800138000', qualification_region_code: 310100 });
    // the dashboard's state view never shows the personal data
    const state = (await (await fetch(`${emu.url}/__emulator/state`)).json()) as { govSyncs: { body: Record<string, unknown> }[] };
    expect(state.govSyncs[0]?.body).toMatchObject({ real_name: '***', id_card_number: '***', phone_number: '***', out_trade_no: 'GOV0001' });
    expect(JSON.stringify(state)).not.toContain('110101199003074477');
  });

  it('answerDelayMs records the sync first and holds the answer; bodySha256 is the hash of the raw bytes', async () => {
    emu.control.setFaults('govSync', { answerDelayMs: 300, count: 1 });
    const answering = send();
    // Recorded while the answer is still held: a client killed now has been heard.
    for (let i = 0; i < 200 && emu.control.govSyncs().length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(emu.control.govSyncs()).toHaveLength(1);
    const answer = await answering;
    expect(answer.status).toBe(200);
    const [sync] = emu.control.govSyncs();
    expect(sync?.bodySha256).toMatch(/^[0-9a-f]{64}$/);
    await send();
    // A second request builds new OAEP ciphertext (random padding): a different hash.
    expect(emu.control.govSyncs()[1]?.bodySha256).not.toBe(sync?.bodySha256);
  });

  it('answers 401 SIGN_ERROR, unsigned, for a missing, malformed, stale or wrongly signed Authorization', async () => {
    for (const options of [
      { authorization: null },
      { authorization: 'WECHATPAY2-SHA256-RSA2048 mchid="1"' },
      { privateKey: testKeys.platform.privateKey },
      { timestampSeconds: Math.floor(emu.control.now().getTime() / 1000) - 301 },
      { timestampSeconds: Math.floor(emu.control.now().getTime() / 1000) + 301 },
      { mchId: '1234567' },
    ] satisfies SendOptions[]) {
      const answer = await send(options);
      expect(answer.status).toBe(401);
      expect(answer.json.code).toBe('SIGN_ERROR');
      // WeChat Pay signs only after it has authenticated the merchant.
      for (const header of ['wechatpay-signature', 'wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-serial']) expect(answer.headers.get(header), header).toBeNull();
    }
    // a body changed after signing
    const body = JSON.stringify(syncBody());
    const signed = buildV3Authorization({ method: 'POST', pathWithQuery: GOV_SUBSIDY_SYNC_PATH, body, mchId: devMerchant.mchId, serialNo: devMerchant.merchantSerialNo, privateKey: testKeys.merchant.privateKey, timestampSeconds: Math.floor(emu.control.now().getTime() / 1000), nonce: 'n1' });
    expect((await send({ authorization: signed, body: body.replace('10000', '10001') })).status).toBe(401);
    expect(emu.control.govSyncs()).toHaveLength(0);
  });

  it('answers 400 PARAM_ERROR for invalid JSON, schema violations, plaintext PII, undecryptable fields and a missing or foreign Wechatpay-Serial', async () => {
    const noPii = JSON.stringify(syncBody({ real_name: undefined, id_card_number: undefined, phone_number: undefined }));
    const cases: SendOptions[] = [
      { body: '{not json' },
      { body: JSON.stringify(syncBody({ qualification_region_code: '310100' })) },
      { body: JSON.stringify(syncBody({ energy_grade: 'THIRD_LEVEL' })) },
      { body: JSON.stringify(syncBody({ cate_state: 'CATE_STATE_REFUND' })) },
      { body: JSON.stringify(syncBody({ real_name: '张三' })) },
      { body: JSON.stringify(syncBody({ real_name: encryptOaep('张三', testKeys.merchant.publicKey) })) },
      { serial: null },
      { serial: 'PUB_KEY_ID_0000000000000000000000000000000000' },
      // The header is required even when no personal field is sent.
      { body: noPii, serial: null },
      { body: noPii, serial: 'PUB_KEY_ID_0000000000000000000000000000000000' },
    ];
    // What a buggy client could send (the field table checked by the emulator's own rules).
    const tableCases: [Record<string, unknown>, string][] = [
      [{ brand: undefined }, 'brand'],
      [{ mch_order_id: undefined }, 'mch_order_id'],
      [{ receive_region_code: 110101 }, 'receive_region_code'],
      [{ receive_region_code: '1101' }, 'receive_region_code'],
      [{ order_amount: 100.5 }, 'order_amount'],
      [{ order_amount: 0 }, 'order_amount'],
      [{ discount_amount: 20000 }, 'discount_amount'],
      [{ discount_amount: -1 }, 'discount_amount'],
      [{ transaction_time: '2025-01-14 19:55:06' }, 'transaction_time'],
      [{ appliance_id: 18 }, 'appliance_id'],
      [{ sale_model: 'SALE_MODEL_MAIL' }, 'sale_model'],
      [{ out_trade_no: 'x'.repeat(33) }, 'out_trade_no'],
      [{ seller: 'typo of seller_name' }, 'seller'],
    ];
    for (const [patch, field] of tableCases) {
      const answer = await send({ body: JSON.stringify(syncBody(patch)) });
      expect(answer.status, JSON.stringify(patch)).toBe(400);
      expect(answer.json.code).toBe('PARAM_ERROR');
      expect(answer.json.message).toContain(field);
      verifyAnswer(answer);
    }
    for (const options of cases) {
      const answer = await send(options);
      expect(answer.status, options.body ?? JSON.stringify(options)).toBe(400);
      expect(answer.json.code).toBe('PARAM_ERROR');
      verifyAnswer(answer);
    }
    expect(emu.control.govSyncs()).toHaveLength(0);
  });

  it('answers 403 NOT_AUTH for a merchant or region outside the whitelist', async () => {
    expect((await send({ mchId: notAllowed.mchId })).json.code).toBe('NOT_AUTH');
    const region = await send({ mchId: restricted.mchId });
    expect(region.status).toBe(403);
    expect(region.json.code).toBe('NOT_AUTH');
    const allowed = await send({ mchId: restricted.mchId, body: JSON.stringify(syncBody({ qualification_region_code: 440300 })) });
    expect(allowed.status).toBe(200);
  });

  it('answers 429 past 100 requests per second per merchant', async () => {
    const body = JSON.stringify(syncBody({ real_name: undefined, id_card_number: undefined, phone_number: undefined }));
    const statuses = await Promise.all(Array.from({ length: 101 }, () => send({ body }).then((a) => a.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    const limited = await send({ body });
    expect(limited).toMatchObject({ status: 429, json: { code: 'FREQUENCY_LIMITED' } });
    emu.control.advanceClock(1000);
    expect((await send({ body })).status).toBe(200);
  });

  it('signs with a WECHATPAY/SIGNTEST/ probe when asked, which verification refuses', async () => {
    emu.control.setNotifyOptions({ signTest: true });
    const answer = await send();
    emu.control.setNotifyOptions({ signTest: false });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('wechatpay-signature')).toMatch(/^WECHATPAY\/SIGNTEST\//);
    expect(() => verifyAnswer(answer)).toThrowError(expect.objectContaining({ code: 'SIGN_TEST_PROBE' }) as WxPaySignatureError);
  });
});
