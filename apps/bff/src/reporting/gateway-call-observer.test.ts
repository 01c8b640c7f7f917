import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type RunningEmulator } from '@checkout/wxpay-emulator';
import { devMerchant } from '@checkout/protocol/testing';
import { WxPayV2Gateway } from '../adapters/wxpay-v2-gateway';
import { createBffMetrics } from '../metrics/bff-metrics';
import { captureLogger } from '../test-support/capture-logger';
import { createGatewayCallObserver } from './gateway-call-observer';
import { createLatencyReporter } from './latency-reporter';

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
const setup = (hang = false) => {
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
    { baseUrl: running.url, appId: devMerchant.appId, mchId: devMerchant.mchId, apiKey: devMerchant.apiKey, timeoutMs: 5_000, maxAttempts: 3, retryBaseDelayMs: 1 },
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
