import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type RunningEmulator } from '@checkout/wxpay-emulator';
import { devMerchant } from '@checkout/protocol/testing';
import { WxPayV2Gateway } from '../adapters/wxpay-v2-gateway';
import { createBffMetrics } from '../metrics/bff-metrics';
import { captureLogger } from '../../test-support/capture-logger';
import { createGatewayCallObserver } from './gateway-call-observer';
import { createLatencyReporter } from './latency-reporter';
import { devGatewayConfig } from '../../test-support/gateway-config';

const emulator = createEmulator();
let running: RunningEmulator;

beforeAll(async () => {
  running = await emulator.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await running.close();
});
afterEach(() => {
  emulator.control.reset();
});

/** The BFF's real v2 gateway with the issue-7 observer plugged into its `observer` option. */
const setup = (hang = false, gatewayOverrides: { baseUrl?: string; timeoutMs?: number; maxAttempts?: number } = {}) => {
  if (hang) emulator.control.setFaults('report', { latencyMs: 60_000 });
  const { logger } = captureLogger();
  const metrics = createBffMetrics({ collectDefault: false });
  const merchant = { appId: devMerchant.appId, mchId: devMerchant.mchId, apiKey: devMerchant.apiKey, signType: 'MD5' as const };
  const reporter = createLatencyReporter(
    { level: 2, reportUrl: `${running.url}/payitil/report`, merchant, userIp: '10.0.0.1', queueCapacity: 2, concurrency: 1, timeoutMs: 300 },
    { logger, metrics },
  );
  let n = 0;
  const gateway = new WxPayV2Gateway(
    devGatewayConfig(running, gatewayOverrides),
    { clock: { now: () => new Date() }, ids: { nonceStr: () => `nonce${++n}` }, observer: createGatewayCallObserver({ reporter, metrics }) },
  );
  return { gateway, reporter, metrics };
};

const params = { body: '测试', totalFee: 1, spbillCreateIp: '127.0.0.1', notifyUrl: 'https://example.com/notify', openid: 'o_obs', timeStart: '20261125100000', timeExpire: '20261125103000' };

describe('createGatewayCallObserver', () => {
  it('reports every attempt of the real gateway, retries included', async () => {
    const { gateway, reporter, metrics } = setup();
    emulator.control.setFaults('unifiedorder', { systemErrorRate: 1, count: 1 });
    await gateway.unifiedOrder({ outTradeNo: 'OBS_1', signType: 'MD5', params });
    await gateway.queryOrder({ outTradeNo: 'OBS_MISSING', signType: 'MD5' });
    await reporter.drain();
    const reports = emulator.control.reports().map((r) => r.fields);
    expect(reports.filter((f) => f.out_trade_no === 'OBS_1').map((f) => [f.result_code, f.err_code])).toEqual(
      expect.arrayContaining([
        ['FAIL', 'SYSTEMERROR'],
        ['SUCCESS', undefined],
      ]),
    );
    expect(reports.find((f) => f.out_trade_no === 'OBS_MISSING')).toMatchObject({
      interface_url: `${running.url}/pay/orderquery`,
      return_code: 'SUCCESS',
      result_code: 'FAIL',
      err_code: 'ORDERNOTEXIST',
    });
    const calls = await metrics.registry.getSingleMetricAsString('bff_wxpay_calls_total');
    expect(calls).toContain('{interface="/pay/unifiedorder",outcome="RESULT_FAIL"} 1');
    expect(calls).toContain('{interface="/pay/unifiedorder",outcome="SUCCESS"} 1');
  });

  it('a call with no business answer is reported with result_code FAIL and an err_code saying what happened', async () => {
    // Connection refused: a port that was just free.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const refused = setup(false, { baseUrl: `http://127.0.0.1:${String(port)}`, maxAttempts: 1 });
    await expect(refused.gateway.queryOrder({ outTradeNo: 'OBS_REFUSED', signType: 'MD5' })).rejects.toThrow();
    // Timeout: the emulator answers after the gateway gave up.
    emulator.control.setFaults('orderquery', { latencyMs: 3_000, count: 1 });
    const slow = setup(false, { timeoutMs: 200, maxAttempts: 1 });
    await expect(slow.gateway.queryOrder({ outTradeNo: 'OBS_TIMEOUT', signType: 'MD5' })).rejects.toThrow();
    // An HTTP 502 from a gateway in front of WeChat Pay.
    emulator.control.setFaults('orderquery', { httpStatus: 502, count: 1 });
    const bad = setup(false, { maxAttempts: 1 });
    await expect(bad.gateway.queryOrder({ outTradeNo: 'OBS_502', signType: 'MD5' })).rejects.toThrow();
    await Promise.all([refused.reporter.drain(), slow.reporter.drain(), bad.reporter.drain()]);

    const byNo = new Map(emulator.control.reports().map((r) => [r.fields.out_trade_no, r.fields]));
    expect(byNo.get('OBS_REFUSED')).toMatchObject({ return_code: 'FAIL', result_code: 'FAIL', err_code: 'CONNECTION_REFUSED' });
    expect(byNo.get('OBS_REFUSED')?.err_code_des).toContain('ECONNREFUSED');
    expect(byNo.get('OBS_TIMEOUT')).toMatchObject({ return_code: 'FAIL', result_code: 'FAIL', err_code: 'TIMEOUT', err_code_des: 'no complete answer within 200 ms' });
    expect(byNo.get('OBS_502')).toMatchObject({ return_code: 'FAIL', result_code: 'FAIL', err_code: 'HTTP_502', err_code_des: 'answered HTTP 502' });
  });

  it('with the report endpoint hanging, all checkouts complete and reports beyond the bounded queue are dropped', async () => {
    const { gateway, reporter } = setup(true);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => gateway.unifiedOrder({ outTradeNo: `OBS_H${i}`, signType: 'MD5', params })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const stats = reporter.stats();
    expect(stats.sent).toBe(0);
    expect(stats.queued).toBeLessThanOrEqual(2);
    expect(stats.inFlight).toBeLessThanOrEqual(1);
    // Every attempt is accounted for: waiting, in flight, timed out or dropped; none blocked a checkout.
    expect(stats.queued + stats.inFlight + stats.failed + stats.dropped).toBe(10);
    expect(stats.dropped).toBeGreaterThanOrEqual(7 - stats.failed);
    await reporter.stop();
  });
});
