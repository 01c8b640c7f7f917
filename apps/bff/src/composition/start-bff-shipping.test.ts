import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes, apiPath, errorBodySchema, orderResponseSchema, type RecordShipmentRequest } from '@checkout/protocol/contract';
import { devMerchant } from '@checkout/protocol/testing';
import { loadConfig } from '../env';
import { startBff, type RunningBff } from './start-bff';
import type { TestStack } from '../../test-support/test-stack';
import { startTestStack } from '../../test-support/test-stack';
import { freshDatabase, releaseTestPostgres, testBackends, type FreshDatabase } from '../../test-support/test-databases';

afterAll(releaseTestPostgres);

// Mini-program shipping management through the running BFF and the real emulator: uploads through
// the outbox, admin shipments, the shared access_token, message push.
describe.each(testBackends)('shipping management through the running BFF on %s', (backend) => {
  const adminToken = 'admin-token-for-tests-0123456789abcdef';
  const pushToken = 'pushTokenForTests0123';
  const auth = { authorization: `Bearer ${adminToken}` };
  let stack: TestStack;
  let database: FreshDatabase;
  let buyer: string;
  let keys = 0;

  const shipments = (outTradeNo: string, body: unknown, key: string | null = `key-${++keys}`) =>
    stack.api(apiPath(adminRoutes.recordShipment, { outTradeNo }), { json: body, headers: { ...auth, ...(key === null ? {} : { 'idempotency-key': key }) } });
  const shippingView = async (outTradeNo: string, bff: { url: string } = stack.bff) => {
    const response = await fetch(`${bff.url}${apiPath(adminRoutes.orderShipping, { outTradeNo })}`, { headers: auth });
    expect(response.status).toBe(200);
    return adminRoutes.orderShipping.response.parse(await response.json());
  };
  const buyerOrder = async (orderId: string) => orderResponseSchema.parse(await (await stack.api(`/api/orders/${orderId}`, { token: buyer })).json()).order;
  const uploadsAt = (outTradeNo: string) => stack.emulator.control.shipping().find((row) => row.out_trade_no === outTradeNo)?.uploads ?? [];
  const errorCode = async (response: Response) => errorBodySchema.parse(await response.json()).error.code;
  const issued = () => stack.emulator.control.accessTokens().issued;
  /** Every upload job due now (their backoff is on the shared emulator clock). */
  const deliverDue = async () => {
    stack.emulator.control.advanceClock(3_600_000);
    return stack.bff.outbox.runOnce();
  };
  const parcel = (trackingNo: string, extra: Partial<RecordShipmentRequest['parcels'][number]> = {}) => ({ trackingNo, expressCompany: 'ZTO', itemDesc: '电热水壶 1.7L', ...extra });

  beforeAll(async () => {
    database = await freshDatabase(backend, 'shipping');
    stack = await startTestStack({ ...database.env, OUTBOX_ENABLED: '0', ADMIN_TOKEN: adminToken, WECHAT_MESSAGE_PUSH_TOKEN: pushToken });
    expect(stack.bff.database.dialect).toBe(backend);
    stack.emulator.control.setMessagePush({ url: `${stack.bff.url}/wechat/message-push`, token: pushToken });
  });
  afterEach(async () => {
    stack.emulator.control.clearFaults();
    // Tests move the shared clock by hours: a fresh session each time.
    buyer = await stack.login();
  });
  beforeAll(async () => {
    buyer = await stack.login();
  });
  afterAll(async () => {
    // Over every test: neither the AppSecret nor any access_token the BFF used, nor a receiver's phone number.
    const logs = stack.logLines.join('\n');
    const tokensUsed = [...new Set(stack.sent.map((sent) => new URL(sent.url).searchParams.get('access_token')).filter((token): token is string => token !== null))];
    expect(tokensUsed.length).toBeGreaterThan(1);
    expect(stack.logLines.length).toBeGreaterThan(10);
    for (const secret of [devMerchant.appSecret, adminToken, pushToken, '13812345678', ...tokensUsed]) expect(logs).not.toContain(secret);
    // At rest the token is sealed.
    const rows = await stack.bff.database.db.selectFrom('wechat_access_tokens').select('sealed_token').execute();
    for (const token of tokensUsed) expect(JSON.stringify(rows)).not.toContain(token);
    await stack.close();
    database.drop();
  });

  it('virtual goods are uploaded right after payment (logistics_type 3), with no operator', async () => {
    const before = issued();
    const { order } = await stack.createAndPay(buyer, { items: [{ productId: 'ecard-50', quantity: 1 }] });
    expect((await buyerOrder(order.id)).shipping).toEqual({ fulfillment: 'virtual', status: 'shipped', parcels: [], confirmReceipt: null, receivedAt: null });
    expect(uploadsAt(order.outTradeNo)).toEqual([]);
    expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    const [upload, ...more] = uploadsAt(order.outTradeNo);
    expect(more).toEqual([]);
    expect(upload).toMatchObject({ logistics_type: 3, delivery_mode: 1, reship: false, shipping_list: [{ item_desc: expect.stringContaining('电子礼品卡') as string }] });
    expect(upload?.upload_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    // The first /wxa call fetched the token; one token serves every later call.
    expect(issued()).toBe(before + (before === 0 ? 1 : 0));
    const view = await shippingView(order.outTradeNo);
    expect(view).toMatchObject({ fulfillment: 'virtual', status: 'shipped', shipments: [{ sequence: 1, upload: { state: 'uploaded', attempts: 1, lastError: null } }] });
    expect(view.wechat).toMatchObject({ available: true, orderState: 2, orderStateName: 'shipped', shipped: true, confirmed: false });
    expect(await errorCode(await shipments(order.outTradeNo, { parcels: [parcel('ZT1')], completesDelivery: true }))).toBe('ORDER_NOT_COURIER');
  });

  it('courier goods wait for the operator; a split shipment goes up in two uploads, the second completing it; receipt comes back by message push', async () => {
    const { order } = await stack.createAndPay(buyer, { items: [{ productId: 'kettle', quantity: 2 }, { productId: 'ecard-50', quantity: 1 }] });
    expect((await buyerOrder(order.id)).shipping).toMatchObject({ fulfillment: 'courier', status: 'not_shipped', parcels: [], confirmReceipt: null });
    expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 0 });
    expect(uploadsAt(order.outTradeNo)).toEqual([]);

    const first = { parcels: [parcel('ZT100001')], completesDelivery: false };
    const created = await shipments(order.outTradeNo, first, 'ship-1');
    expect(created.status).toBe(201);
    const body = adminRoutes.recordShipment.response.parse(await created.json());
    expect(body).toMatchObject({ status: 'partially_shipped', shipment: { sequence: 1, upload: { state: 'pending' } } });
    // The operator's retry with the same key records nothing new; another body under it is refused.
    const again = await shipments(order.outTradeNo, first, 'ship-1');
    expect(again.status).toBe(200);
    expect(adminRoutes.recordShipment.response.parse(await again.json()).shipment.id).toBe(body.shipment.id);
    expect(await errorCode(await shipments(order.outTradeNo, { parcels: [parcel('ZT999')], completesDelivery: true }, 'ship-1'))).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect((await buyerOrder(order.id)).shipping).toMatchObject({ status: 'partially_shipped', parcels: [{ trackingNo: 'ZT100001', expressCompany: 'ZTO', expressCompanyName: '中通快递' }] });

    const second = await shipments(order.outTradeNo, { parcels: [parcel('SF200002', { expressCompany: 'SF', receiverContact: '13812345678' })], completesDelivery: true });
    expect(second.status).toBe(201);
    expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    const uploads = uploadsAt(order.outTradeNo);
    expect(uploads.map((u) => [u.logistics_type, u.delivery_mode, u.is_all_delivered, u.reship, u.shipping_list.map((item) => item.tracking_no)])).toEqual([
      [1, 2, false, false, ['ZT100001']],
      [1, 2, true, false, ['SF200002']],
    ]);
    // Masked as WeChat requires: last 4 digits kept.
    expect(uploads[1]?.shipping_list[0]?.contact).toEqual({ receiver_contact: '138****5678' });
    expect(Date.parse(uploads[1]?.upload_time ?? '')).toBeGreaterThan(Date.parse(uploads[0]?.upload_time ?? ''));
    const shipped = (await buyerOrder(order.id)).shipping;
    expect(shipped).toMatchObject({ status: 'shipped', confirmReceipt: { merchantId: devMerchant.mchId, merchantTradeNo: order.outTradeNo } });
    expect(shipped?.parcels.map((p) => p.trackingNo)).toEqual(['ZT100001', 'SF200002']);
    expect(JSON.stringify(shipped)).not.toContain('5678');
    expect(await errorCode(await shipments(order.outTradeNo, { parcels: [parcel('ZT3')], completesDelivery: true }))).toBe('ORDER_ALREADY_SHIPPED');

    const transactionId = stack.emulator.control.shipping().find((row) => row.out_trade_no === order.outTradeNo)?.transaction_id ?? '';
    await stack.emulator.control.confirmReceipt(transactionId);
    const push = stack.emulator.control.messagePushes().at(-1);
    expect(push?.acked).toBe(true);
    expect((await buyerOrder(order.id)).shipping).toMatchObject({ status: 'received', confirmReceipt: null, receivedAt: expect.any(String) as string });
    const view = await shippingView(order.outTradeNo);
    expect(view).toMatchObject({ status: 'received', confirmReceiveMethod: 1, wechat: { available: true, orderState: 3, confirmed: true, trackingNumbers: ['ZT100001', 'SF200002'] } });
    expect(view.shipments.map((s) => s.upload.state)).toEqual(['uploaded', 'uploaded']);
  });

  it('refuses bad shipments with stable codes and records nothing', async () => {
    const { order } = await stack.createAndPay(buyer, { items: [{ productId: 'kettle', quantity: 1 }] });
    const ok = { parcels: [parcel('ZT1')], completesDelivery: true };
    expect(await errorCode(await shipments(order.outTradeNo, ok, null))).toBe('VALIDATION_FAILED');
    for (const bad of [
      { parcels: [], completesDelivery: true },
      { parcels: [parcel('has space')], completesDelivery: true },
      { parcels: [parcel('ZT1', { itemDesc: 'x'.repeat(121) })], completesDelivery: true },
      { parcels: [parcel('ZT1')] },
      { ...ok, price: 1 },
      { parcels: Array.from({ length: 16 }, (_, i) => parcel(`ZT${i}`)), completesDelivery: false },
      { parcels: [parcel('ZT1'), parcel('ZT1')], completesDelivery: true },
      { parcels: [parcel('SF1', { expressCompany: 'SF' })], completesDelivery: true },
    ]) {
      const response = await shipments(order.outTradeNo, bad);
      expect(response.status).toBe(400);
      expect(await errorCode(response)).toBe('VALIDATION_FAILED');
    }
    const unauthenticated = await stack.api(apiPath(adminRoutes.recordShipment, { outTradeNo: order.outTradeNo }), { json: ok, headers: { 'idempotency-key': 'k' } });
    expect(unauthenticated.status).toBe(401);
    expect(await errorCode(await shipments('NO_SUCH_ORDER', ok))).toBe('ORDER_NOT_FOUND');
    const pending = await stack.api('/api/orders', { token: buyer, json: { items: [{ productId: 'kettle', quantity: 1 }] } });
    const unpaid = orderResponseSchema.parse(await pending.json()).order;
    expect(await errorCode(await shipments(unpaid.outTradeNo, ok))).toBe('ORDER_NOT_PAID');
    // More than 15 parcels over several shipments.
    expect((await shipments(order.outTradeNo, { parcels: Array.from({ length: 10 }, (_, i) => parcel(`ZA${i}`)), completesDelivery: false })).status).toBe(201);
    const over = await shipments(order.outTradeNo, { parcels: Array.from({ length: 6 }, (_, i) => parcel(`ZB${i}`)), completesDelivery: true });
    expect(over.status).toBe(422);
    expect(await errorCode(over)).toBe('SHIPMENT_PARCEL_LIMIT');
    expect(await errorCode(await shipments(order.outTradeNo, { parcels: [parcel('ZA3')], completesDelivery: true }))).toBe('VALIDATION_FAILED');
    expect((await shippingView(order.outTradeNo)).shipments).toHaveLength(1);
    // Refunded in full: nothing more ships.
    const refunded = await stack.createAndPay(buyer, { items: [{ productId: 'kettle', quantity: 1 }] });
    const refund = await stack.api(`/admin/orders/${refunded.order.id}/refunds`, { json: { amountFen: refunded.order.payableFen }, headers: { ...auth, 'idempotency-key': 'refund-all' } });
    expect(refund.status).toBe(201);
    expect(await errorCode(await shipments(refunded.order.outTradeNo, ok))).toBe('ORDER_FULLY_REFUNDED');
    // The one accepted shipment goes up (10 parcels, split, not complete).
    expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(uploadsAt(order.outTradeNo).map((u) => [u.delivery_mode, u.is_all_delivered, u.shipping_list.length])).toEqual([[2, false, 10]]);
  });

  it('an upload survives the emulator dropping its answer and a BFF restart: asked with get_order, not sent again', async () => {
    const { order } = await stack.createAndPay(buyer, { items: [{ productId: 'install-voucher', quantity: 1 }] });
    // WeChat applies the upload, then the connection drops: the BFF cannot know it went through.
    stack.emulator.control.setFaults('uploadShippingInfo', { dropConnectionRate: 1, count: 1 });
    expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    expect(uploadsAt(order.outTradeNo)).toHaveLength(1);
    await stack.restartBff({ ...database.env, OUTBOX_ENABLED: '0', ADMIN_TOKEN: adminToken, WECHAT_MESSAGE_PUSH_TOKEN: pushToken });
    // WeChat down for a while: get_order answers 503 twice.
    stack.emulator.control.setFaults('getOrder', { httpStatus: 503, count: 2 });
    expect(await deliverDue()).toMatchObject({ claimed: 1, retried: 1 });
    expect(await deliverDue()).toMatchObject({ claimed: 1, retried: 1 });
    expect(await deliverDue()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(uploadsAt(order.outTradeNo)).toEqual([expect.objectContaining({ logistics_type: 4, reship: false })]);
    expect(stack.logLines.some((line) => line.includes('shipping upload already at WeChat'))).toBe(true);
    expect((await shippingView(order.outTradeNo)).shipments[0]?.upload).toMatchObject({ state: 'uploaded', attempts: 4 });
  });

  it('an upload refused by WeChat is a dead letter with the errcode for the operator; transient answers are retried', async () => {
    const { order } = await stack.createAndPay(buyer, { items: [{ productId: 'ecard-50', quantity: 1 }] });
    stack.emulator.control.setFaults('uploadShippingInfo', { systemErrorRate: 1, count: 1 });
    expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    // The buyer's payment is refunded at WeChat meanwhile: the upload cannot succeed any more.
    const refund = await stack.api(`/admin/orders/${order.id}/refunds`, { json: { amountFen: order.payableFen }, headers: { ...auth, 'idempotency-key': 'refund-dead' } });
    expect(refund.status).toBe(201);
    expect(await deliverDue()).toMatchObject({ claimed: 1, dead: 1 });
    const upload = (await shippingView(order.outTradeNo)).shipments[0]?.upload;
    expect(upload).toMatchObject({ state: 'failed' });
    expect(upload?.lastError).toMatch(/^WX_ERRCODE:10060004:/);
    expect(stack.logLines.some((line) => line.includes('outbox job dead-lettered') && line.includes('10060004'))).toBe(true);
  });

  it('token expiry and an invalid-token answer each mint exactly one new token, two BFF instances sharing it', async () => {
    const { order } = await stack.createAndPay(buyer, { items: [{ productId: 'ecard-50', quantity: 1 }] });
    await stack.bff.outbox.runOnce();
    const logLines: string[] = [];
    const secondSent: string[] = [];
    const secondFetch: typeof fetch = (input, init) => {
      secondSent.push(`${input instanceof Request ? input.url : String(input)} ${typeof init?.body === 'string' ? init.body : ''}`);
      return fetch(input, init);
    };
    /** stable_token calls of both instances (the emulator ignores a second force within 30 s, so count calls, not tokens). */
    const stableTokenCalls = () => [...stack.sent.map((sent) => `${sent.url} ${sent.body}`), ...secondSent].filter((line) => line.includes('/cgi-bin/stable_token'));
    const second: RunningBff = await startBff(
      loadConfig({
        ...database.env,
        PORT: '0',
        WXPAY_MCH_BASE_URL: stack.emulatorServer.url,
        WXPAY_SECAPI_BASE_URL: stack.emulatorServer.secureUrl,
        WXPAY_API_BASE_URL: stack.emulatorServer.url,
        WXPAY_TIMEOUT_MS: '3000',
        SWEEPER_ENABLED: '0',
        RECONCILIATION_ENABLED: '0',
        OUTBOX_ENABLED: '0',
        ADMIN_TOKEN: adminToken,
      }),
      { clock: { now: () => stack.emulator.control.now() }, fetch: secondFetch, logDestination: new Writable({ write: (chunk: Buffer, _e, done) => void (logLines.push(chunk.toString()), done()) }) },
    );
    try {
      const both = () => Promise.all([shippingView(order.outTradeNo), shippingView(order.outTradeNo, second)]);
      // Warm: the second instance uses the stored token without fetching one.
      const start = issued();
      const calls = stableTokenCalls().length;
      expect((await both()).map((view) => view.wechat.available)).toEqual([true, true]);
      expect(issued()).toBe(start);
      expect(stableTokenCalls()).toHaveLength(calls);

      // Both instances get 40001 for the same token: one forced renewal between them.
      stack.emulator.control.invalidateAccessTokens();
      expect((await both()).map((view) => view.wechat.available)).toEqual([true, true]);
      expect(issued()).toBe(start + 1);
      expect(stableTokenCalls().slice(calls).map((line) => JSON.parse(line.slice(line.indexOf(' ') + 1)) as { force_refresh: boolean }).map((body) => body.force_refresh)).toEqual([true]);

      // 42001: one normal renewal between them.
      stack.emulator.control.expireAccessTokens();
      expect((await both()).map((view) => view.wechat.available)).toEqual([true, true]);
      expect(issued()).toBe(start + 2);
      expect(stableTokenCalls()).toHaveLength(calls + 2);
      await both();
      expect(issued()).toBe(start + 2);

      // Renewed ahead of expiry (under 5 minutes left), once for both instances.
      stack.emulator.control.advanceClock(7200_000 - 200_000);
      await both();
      expect(issued()).toBe(start + 3);
      expect(stableTokenCalls()).toHaveLength(calls + 3);
      expect(logLines.join('')).not.toContain(devMerchant.appSecret);
    } finally {
      await second.close();
    }
  });

  it('message push: the URL check echoes echostr only when signed; unsigned or forged pushes change nothing', async () => {
    const { createHash } = await import('node:crypto');
    const sign = (timestamp: string, nonce: string) => createHash('sha1').update([pushToken, timestamp, nonce].sort().join('')).digest('hex');
    const ok = await stack.api(`/wechat/message-push?signature=${sign('1700000000', 'n1')}&timestamp=1700000000&nonce=n1&echostr=hello123`);
    expect([ok.status, await ok.text()]).toEqual([200, 'hello123']);
    const forged = await stack.api(`/wechat/message-push?signature=${'0'.repeat(40)}&timestamp=1700000000&nonce=n1&echostr=hello123`);
    expect(forged.status).toBe(401);
    const { order } = await stack.createAndPay(buyer, { items: [{ productId: 'ecard-50', quantity: 1 }] });
    const transactionId = stack.emulator.control.shipping().find((row) => row.out_trade_no === order.outTradeNo)?.transaction_id ?? '';
    const event = { Event: 'trade_manage_order_settlement', transaction_id: transactionId, merchant_id: devMerchant.mchId, merchant_trade_no: order.outTradeNo, confirm_receive_method: 1, confirm_receive_time: 1700000000 };
    const unsigned = await stack.api('/wechat/message-push?signature=x&timestamp=1&nonce=2', { json: event });
    expect(unsigned.status).toBe(401);
    const otherMerchant = await stack.api(`/wechat/message-push?signature=${sign('1', '2')}&timestamp=1&nonce=2`, { json: { ...event, merchant_id: '1900000000' } });
    expect([otherMerchant.status, await otherMerchant.text()]).toEqual([200, 'success']);
    expect((await buyerOrder(order.id)).shipping?.status).toBe('shipped');
  });
});
