import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSignedNotification, devMerchant } from '@checkout/protocol/testing';
import type { TestStack } from '../../../test-support/test-stack';
import { startTestStack } from '../../../test-support/test-stack';

const metricsToken = 'metrics-token-for-tests-0123456789abcdef';
const buyer = {
  realName: '周小雨',
  identityDocumentType: 'ID_DOC_TYPE_ID_CARD',
  idCardNumber: '11010519491231002X',
  phoneNumber: '13700001111',
  receiveRegionCode: '110105',
  qualificationRegionCode: 110000,
};

/** The value of one sample line `name{labels} value` (undefined when absent). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics on the running BFF', () => {
  let stack: TestStack;
  let orderId: string;
  beforeAll(async () => {
    stack = await startTestStack({ METRICS_TOKEN: metricsToken, WXPAY_REPORT_LEVEL: '2', OUTBOX_ENABLED: '0' });
    const token = await stack.login();
    const { order } = await stack.createAndPay(token, { items: [{ productId: 'aircon-1p5', quantity: 1 }], subsidy: buyer });
    orderId = order.id;
    await stack.api(`/api/orders/${order.id}`, { token });
    await stack.bff.outbox.runOnce();
    await stack.bff.reporter.drain();
    // Two rejected notifications: a bad signature and an unknown order.
    const tampered = buildSignedNotification({ out_trade_no: order.outTradeNo, total_fee: String(order.payableFen) }, { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' }).replace(
      /<total_fee>[^<]*<\/total_fee>/,
      '<total_fee>1</total_fee>',
    );
    await fetch(`${stack.bff.url}/wxpay/notify`, { method: 'POST', body: tampered });
    const unknown = buildSignedNotification({ out_trade_no: 'NOSUCHORDER0001', total_fee: '100' }, { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' });
    await fetch(`${stack.bff.url}/wxpay/notify`, { method: 'POST', body: unknown });
    // A repeat of the applied payment: acked, no write, counted as a duplicate.
    const paid = await stack.bff.database.db.selectFrom('orders').select('transaction_id').where('id', '=', order.id).executeTakeFirstOrThrow();
    const repeat = buildSignedNotification(
      { out_trade_no: order.outTradeNo, total_fee: String(order.payableFen), transaction_id: paid.transaction_id ?? '' },
      { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' },
    );
    expect((await fetch(`${stack.bff.url}/wxpay/notify`, { method: 'POST', body: repeat })).status).toBe(200);
    await stack.api('/no/such/path');
  });
  afterAll(() => stack.close());

  it('needs the metrics token when one is configured', async () => {
    expect((await stack.api('/metrics')).status).toBe(401);
    expect((await stack.api('/metrics', { headers: { authorization: `Bearer ${metricsToken}x` } })).status).toBe(401);
    const ok = await stack.api('/metrics', { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    // Not a browser endpoint: no CORS even for an allowed origin.
    const fromBrowser = await stack.api('/metrics', { headers: { authorization: `Bearer ${metricsToken}`, origin: 'http://127.0.0.1:3200' } });
    expect(fromBrowser.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('exposes HTTP by route template, WeChat Pay calls, reports, outbox and notifications', async () => {
    const text = await (await stack.api('/metrics', { headers: { authorization: `Bearer ${metricsToken}` } })).text();
    expect(sample(text, 'bff_http_requests_total{method="POST",route="/api/orders",status="201"}')).toBe(1);
    expect(sample(text, 'bff_http_requests_total{method="GET",route="/api/orders/:id",status="200"}')).toBe(1);
    expect(sample(text, 'bff_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(text).toContain('bff_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/api/orders",status="201"}');
    // Route templates only: raw ids would explode cardinality.
    expect(text).not.toContain(orderId);

    expect(sample(text, 'bff_wxpay_calls_total{interface="/pay/unifiedorder",outcome="SUCCESS"}')).toBe(1);
    expect(text).toContain('bff_wxpay_call_duration_seconds_count{interface="/pay/unifiedorder",outcome="SUCCESS"} 1');
    expect(sample(text, 'bff_wxpay_reports_total{result="sent"}')).toBeGreaterThanOrEqual(1);
    expect(text).toContain('# TYPE bff_wxpay_reports_total counter');

    expect(sample(text, 'bff_outbox_jobs{status="delivered"}')).toBe(1);
    expect(sample(text, 'bff_outbox_jobs{status="pending"}')).toBe(0);
    expect(sample(text, 'bff_outbox_attempts_total{kind="gov_subsidy_sync",result="delivered"}')).toBe(1);
    expect(text).toContain('# TYPE bff_outbox_dead_letters_total counter');

    expect(sample(text, 'bff_wxpay_notifications_total{result="accepted",reason="none"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'bff_wxpay_notifications_total{result="accepted",reason="duplicate"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'bff_wxpay_notifications_total{result="rejected",reason="bad_signature"}')).toBe(1);
    expect(sample(text, 'bff_wxpay_notifications_total{result="rejected",reason="unknown_order"}')).toBe(1);
    // Group commit: every synced COMMIT counted, with the transactions it made durable.
    const commits = sample(text, 'bff_sqlite_commit_group_transactions_count') ?? -1;
    if (stack.bff.database.dialect === 'sqlite') {
      expect(commits).toBeGreaterThanOrEqual(3);
      expect(sample(text, 'bff_sqlite_commit_group_transactions_sum')).toBeGreaterThanOrEqual(commits);
    } else {
      expect(commits).toBe(0);
    }
    // One series per lifecycle transition, from the start.
    expect(sample(text, 'bff_order_transitions_total{transition="pay"}')).toBe(1);
    expect(sample(text, 'bff_order_transitions_total{transition="close"}')).toBe(0);
    expect(sample(text, 'bff_order_transitions_total{transition="fail"}')).toBe(0);
    // Process metrics too (event-loop lag, memory).
    expect(text).toContain('bff_process_resident_memory_bytes');
    for (const secret of [buyer.realName, buyer.idCardNumber, buyer.phoneNumber, metricsToken]) expect(text).not.toContain(secret);
  });
});

describe('GET /metrics without a token configured, admin without a token', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it('metrics are open; admin endpoints always answer 401', async () => {
    expect((await stack.api('/metrics')).status).toBe(200);
    const admin = await stack.api('/admin/orders/ord_x/goods-return', { json: { refundId: 'R1' }, headers: { authorization: 'Bearer ' } });
    expect(admin.status).toBe(401);
    expect(await admin.json()).toMatchObject({ error: { code: 'ADMIN_UNAUTHENTICATED' } });
  });
});
