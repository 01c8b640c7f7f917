import { afterEach, describe, expect, it } from 'vitest';
import { orderPaymentResponseSchema } from '@checkout/protocol/contract';
import { parseXml, verifyV2 } from '@checkout/protocol/wxpay';
import { devMerchant } from '@checkout/protocol/testing';
import type { TestStack } from '../../test-support/test-stack';
import { startTestStack } from '../../test-support/test-stack';

// payitil/report through the real BFF: its v2 gateway observer feeds the reporter; the emulator
// validates each report and keeps its fields.

const userIp = '192.0.2.10';
const stacks: TestStack[] = [];
const start = async (env: Parameters<typeof startTestStack>[0]): Promise<TestStack> => {
  const stack = await startTestStack({ WXPAY_REPORT_USER_IP: userIp, ...env });
  stacks.push(stack);
  return stack;
};
afterEach(async () => {
  for (const stack of stacks.splice(0)) {
    await stack.close();
    // Reports are signed with the API key; neither it nor a sign value reaches the logs.
    const logs = stack.logLines.join('\n');
    expect(logs).not.toContain(devMerchant.apiKey);
    expect(logs).not.toMatch(/<sign>|"sign":"[0-9A-F]{32,64}"/);
  }
});

/** One checkout whose first unifiedorder attempt answers SYSTEMERROR (retried, then SUCCESS). */
async function checkoutWithOneFailure(stack: TestStack): Promise<string> {
  const token = await stack.login();
  stack.emulator.control.setFaults('unifiedorder', { systemErrorRate: 1, count: 1 });
  const response = await stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 1 }] } });
  expect(response.status).toBe(201);
  const { order } = orderPaymentResponseSchema.parse(await response.json());
  await stack.bff.reporter.drain();
  return order.outTradeNo;
}

/** The reports as sent on the wire (through the BFF's fetch), signature checked here with the API key. */
function sentReports(stack: TestStack): Record<string, string>[] {
  return stack.sent
    .filter((request) => request.url.endsWith('/payitil/report'))
    .map((request) => {
      const fields = parseXml(request.body);
      expect(verifyV2(fields, devMerchant.apiKey)).toBe('HMAC-SHA256');
      return fields;
    });
}

describe('payitil/report from the running BFF', () => {
  it.each([
    ['0', 0, 0],
    ['1', 1, 0],
    ['2', 1, 1],
  ] as const)('level %s: %i failure and %i success reports for a checkout with one SYSTEMERROR attempt', async (level, failures, successes) => {
    const stack = await start({ WXPAY_REPORT_LEVEL: level });
    const outTradeNo = await checkoutWithOneFailure(stack);
    const unifiedorderUrl = `${stack.emulatorServer.url}/pay/unifiedorder`;

    const received = stack.emulator.control.reports().map((report) => report.fields);
    const sent = sentReports(stack);
    expect(received).toHaveLength(failures + successes);
    expect(sent).toHaveLength(failures + successes);
    expect(stack.bff.reporter.stats()).toMatchObject({ sent: failures + successes, failed: 0, dropped: 0 });

    const failed = received.filter((fields) => fields.result_code === 'FAIL');
    const succeeded = received.filter((fields) => fields.result_code === 'SUCCESS');
    expect(failed).toHaveLength(failures);
    expect(succeeded).toHaveLength(successes);
    for (const fields of [...failed, ...succeeded]) {
      expect(fields).toMatchObject({
        appid: devMerchant.appId,
        mch_id: devMerchant.mchId,
        interface_url: unifiedorderUrl,
        return_code: 'SUCCESS',
        out_trade_no: outTradeNo,
        user_ip: userIp,
      });
      expect(fields.execute_time_).toMatch(/^\d+$/);
      // yyyyMMddHHmmss in Beijing time.
      expect(fields.time).toMatch(/^20\d{12}$/);
    }
    for (const fields of failed) expect(fields).toMatchObject({ err_code: 'SYSTEMERROR', err_code_des: expect.any(String) as unknown });
    for (const fields of succeeded) expect(fields.err_code).toBeUndefined();
  });

  it('reports still queued at shutdown are sent before the BFF stops (the SIGTERM path)', async () => {
    const stack = await start({ WXPAY_REPORT_LEVEL: '2', WXPAY_REPORT_CONCURRENCY: '1' });
    const token = await stack.login();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 1 }] } })),
    );
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    // No drain() here: close() itself gives the queue one report timeout.
    await stack.bff.close();
    expect(stack.emulator.control.reports()).toHaveLength(5);
    expect(stack.bff.reporter.stats()).toMatchObject({ sent: 5, queued: 0, inFlight: 0, dropped: 0 });
  });

  it('a connection that drops before the answer is reported as return_code FAIL, result_code FAIL with what happened, at level 1', async () => {
    const stack = await start({ WXPAY_REPORT_LEVEL: '1' });
    const token = await stack.login();
    stack.emulator.control.setFaults('unifiedorder', { dropConnectionRate: 1, count: 1 });
    const response = await stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 1 }] } });
    expect(response.status).toBe(201);
    await stack.bff.reporter.drain();
    const received = stack.emulator.control.reports().map((report) => report.fields);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ return_code: 'FAIL', interface_url: `${stack.emulatorServer.url}/pay/unifiedorder`, user_ip: userIp });
    // result_code is required by payitil/report: FAIL, and err_code says the connection was cut.
    expect(received[0]).toMatchObject({ result_code: 'FAIL', err_code: 'CONNECTION_RESET' });
    expect(received[0]?.err_code_des).toMatch(/closed|hang up/);
  });

  it('a hanging report endpoint leaves checkout unchanged compared with reporting off; the queue stays bounded and drops are counted', async () => {
    const checkouts = 12;
    const run = async (stack: TestStack) => {
      const token = await stack.login();
      const responses = await Promise.all(
        Array.from({ length: checkouts }, () => stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 1 }] } })),
      );
      const unifiedorders = stack.wxpayCalls.filter((call) => call.interfaceName === 'unifiedorder');
      return {
        statuses: responses.map((response) => response.status),
        attempts: unifiedorders.length,
        failedAttempts: unifiedorders.filter((call) => call.outcome !== 'success').length,
      };
    };

    const off = await start({ WXPAY_REPORT_LEVEL: '0' });
    const hanging = await start({ WXPAY_REPORT_LEVEL: '2', WXPAY_REPORT_QUEUE_CAPACITY: '3', WXPAY_REPORT_CONCURRENCY: '1' });
    hanging.emulator.control.setFaults('report', { latencyMs: 120_000 });

    const baseline = await run(off);
    const withHangingReports = await run(hanging);
    // Same outcome, attempt for attempt: every checkout 201 at the first try, no timeout, no retry.
    expect(baseline).toEqual({ statuses: Array<number>(checkouts).fill(201), attempts: checkouts, failedAttempts: 0 });
    expect(withHangingReports).toEqual(baseline);

    const stats = hanging.bff.reporter.stats();
    expect(stats.sent).toBe(0);
    // Bounded: never more than capacity queued + concurrency in flight; the rest dropped, all accounted for.
    expect(stats.queued).toBeLessThanOrEqual(3);
    expect(stats.inFlight).toBeLessThanOrEqual(1);
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.queued + stats.inFlight + stats.sent + stats.failed + stats.dropped).toBe(checkouts);
    const metrics = await hanging.bff.metrics.registry.getSingleMetricAsString('bff_wxpay_reports_total');
    expect(metrics).toContain(`bff_wxpay_reports_total{result="dropped"} ${String(stats.dropped)}`);
    expect(hanging.logLines.some((line) => line.includes('payitil/report dropped'))).toBe(true);
  });
});
