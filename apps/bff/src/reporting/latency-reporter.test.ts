import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type RunningEmulator } from '@checkout/wxpay-emulator';
import { formatWxPayTime, type V2Merchant } from '@checkout/protocol/wxpay';
import { WxPayV2Gateway } from '../adapters/wxpay-v2-gateway';
import { devMerchant } from '@checkout/protocol/testing';
import { createBffMetrics } from '../metrics/bff-metrics';
import { captureLogger } from '../../test-support/capture-logger';
import { createLatencyReporter, type LatencyReporterConfig, type ReportLevel } from './latency-reporter';
import { createGatewayCallObserver } from './gateway-call-observer';
import type { ReportedCall } from './reported-call';
import { devGatewayConfig } from '../../test-support/gateway-config';

const emulator = createEmulator();
let running: RunningEmulator;
const merchant: V2Merchant = { appId: devMerchant.appId, mchId: devMerchant.mchId, apiKey: devMerchant.apiKey, signType: 'MD5' };

beforeAll(async () => {
  running = await emulator.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await running.close();
});
afterEach(() => {
  emulator.control.reset();
});

const config = (level: ReportLevel, extra: Partial<LatencyReporterConfig> = {}): LatencyReporterConfig => ({
  level,
  reportUrl: `${running.url}/payitil/report`,
  merchant,
  userIp: '10.1.2.3',
  // The production 1 s timeout is exercised by the hanging-endpoint tests; field tests allow a
  // loaded CI machine time to answer so a slow first request is not counted as a dropped report.
  timeoutMs: 15_000,
  ...extra,
});

const startedAt = new Date('2026-11-25T02:03:04Z');
const success: ReportedCall = {
  interfaceUrl: 'https://api.mch.weixin.qq.com/pay/unifiedorder',
  startedAt,
  executeTimeMs: 123.4,
  returnCode: 'SUCCESS',
  resultCode: 'SUCCESS',
  outTradeNo: 'T1',
};
const failure: ReportedCall = {
  interfaceUrl: 'https://api.mch.weixin.qq.com/pay/orderquery',
  startedAt,
  executeTimeMs: 2000,
  returnCode: 'SUCCESS',
  resultCode: 'FAIL',
  errCode: 'SYSTEMERROR',
  errCodeDes: '系统错误',
  outTradeNo: 'T2',
};
const transportFailure: ReportedCall = {
  interfaceUrl: 'https://api.mch.weixin.qq.com/pay/closeorder',
  startedAt,
  executeTimeMs: 5000,
  returnCode: 'FAIL',
  returnMsg: 'TimeoutError',
  resultCode: 'FAIL',
  errCode: 'TIMEOUT',
  errCodeDes: 'no complete answer within 5000 ms',
  outTradeNo: 'T3',
};

const recordAll = async (level: ReportLevel): Promise<string[]> => {
  const { logger } = captureLogger();
  const reporter = createLatencyReporter(config(level), { logger });
  for (const event of [success, failure, transportFailure]) reporter.record(event);
  await reporter.drain();
  return emulator.control.reports().map((r) => r.fields.out_trade_no ?? '');
};

describe('LatencyReporter levels', () => {
  it('level 2 reports every call with the official fields, signed, time in Beijing', async () => {
    const { logger } = captureLogger();
    const metrics = createBffMetrics({ collectDefault: false });
    const reporter = createLatencyReporter(config(2), { logger, metrics });
    reporter.record(success);
    reporter.record(failure);
    reporter.record(transportFailure);
    await reporter.drain();
    const reports = emulator.control.reports();
    expect(reports.map((r) => r.fields.out_trade_no).sort()).toEqual(['T1', 'T2', 'T3']);
    const byNo = new Map(reports.map((r) => [r.fields.out_trade_no, r.fields]));
    expect(byNo.get('T1')).toMatchObject({
      appid: devMerchant.appId,
      mch_id: devMerchant.mchId,
      interface_url: 'https://api.mch.weixin.qq.com/pay/unifiedorder',
      execute_time_: '123',
      return_code: 'SUCCESS',
      result_code: 'SUCCESS',
      user_ip: '10.1.2.3',
      time: '20261125100304',
    });
    // The emulator stores a report only after verifying its v2 signature with the merchant key.
    expect(byNo.get('T1')?.nonce_str).toMatch(/^[0-9a-f]{32}$/);
    expect(byNo.get('T2')).toMatchObject({ result_code: 'FAIL', err_code: 'SYSTEMERROR', err_code_des: '系统错误', execute_time_: '2000' });
    expect(byNo.get('T3')).toMatchObject({
      return_code: 'FAIL',
      return_msg: 'TimeoutError',
      result_code: 'FAIL',
      err_code: 'TIMEOUT',
      err_code_des: 'no complete answer within 5000 ms',
      interface_url: 'https://api.mch.weixin.qq.com/pay/closeorder',
    });
    expect(reporter.stats()).toEqual({ queued: 0, inFlight: 0, sent: 3, failed: 0, dropped: 0 });
    expect(await metrics.registry.getSingleMetricAsString('bff_wxpay_reports_total')).toContain('bff_wxpay_reports_total{result="sent"} 3');
  });

  it('level 1 reports only failed calls', async () => {
    expect((await recordAll(1)).sort()).toEqual(['T2', 'T3']);
  });

  it('level 0 reports nothing', async () => {
    expect(await recordAll(0)).toEqual([]);
  });
});

describe('LatencyReporter never blocks or fails the payment path', () => {
  it('a hanging report endpoint: record returns at once, the queue stays bounded, drops are counted', async () => {
    emulator.control.setFaults('report', { latencyMs: 60_000 });
    const { logger, lines } = captureLogger();
    const metrics = createBffMetrics({ collectDefault: false });
    const reporter = createLatencyReporter(config(2, { queueCapacity: 5, concurrency: 2, timeoutMs: 200 }), { logger, metrics });

    // record() is synchronous: all 50 calls complete before any report could have been answered.
    for (let i = 0; i < 50; i += 1) reporter.record({ ...success, outTradeNo: `H${i}` });
    expect(reporter.stats()).toEqual({ queued: 5, inFlight: 2, sent: 0, failed: 0, dropped: 43 });
    expect(lines.some((line) => line.includes('payitil/report dropped'))).toBe(true);

    // stop(): queued reports are dropped (counted), in-flight ones end by their 1 s-style timeout.
    await reporter.stop();
    expect(reporter.stats()).toEqual({ queued: 0, inFlight: 0, sent: 0, failed: 2, dropped: 48 });
    reporter.record(success);
    expect(reporter.stats().dropped).toBe(49);
    const text = await metrics.registry.getSingleMetricAsString('bff_wxpay_reports_total');
    expect(text).toContain('{result="dropped"} 49');
    expect(text).toContain('{result="failed"} 2');
  });

  it('checkout calls through the real gateway all complete while reports hang, exactly as with reporting off', async () => {
    emulator.control.setFaults('report', { latencyMs: 60_000 });
    const { logger } = captureLogger();

    const runCheckouts = async (level: ReportLevel): Promise<{ ok: number; timedOut: number; reporter: ReturnType<typeof createLatencyReporter> }> => {
      const reporter = createLatencyReporter(config(level, { queueCapacity: 3, concurrency: 1, timeoutMs: 300 }), { logger });
      // The gateway's own timeout is far shorter than the report hang: a blocked checkout would time out.
      const gateway = new WxPayV2Gateway(
        devGatewayConfig(running, { maxAttempts: 1 }),
        { clock: { now: () => new Date() }, ids: { nonceStr: () => `nonce${Date.now()}` }, observer: createGatewayCallObserver({ reporter }) },
      );
      let ok = 0;
      let timedOut = 0;
      for (let i = 0; i < 8; i += 1) {
        const params = { body: '测试商品', totalFee: 1, spbillCreateIp: '127.0.0.1', notifyUrl: 'https://example.com/notify', openid: 'o_test_user', timeStart: formatWxPayTime(new Date()), timeExpire: formatWxPayTime(new Date(Date.now() + 1_800_000)) };
        try {
          await gateway.unifiedOrder({ outTradeNo: `L${level}N${i}${Date.now()}`, signType: 'MD5', params });
          ok += 1;
        } catch {
          timedOut += 1;
        }
      }
      return { ok, timedOut, reporter };
    };

    const off = await runCheckouts(0);
    const on = await runCheckouts(2);
    expect(off).toMatchObject({ ok: 8, timedOut: 0 });
    expect(on).toMatchObject({ ok: 8, timedOut: 0 });
    expect(off.reporter.stats()).toEqual({ queued: 0, inFlight: 0, sent: 0, failed: 0, dropped: 0 });
    const stats = on.reporter.stats();
    expect(stats.sent).toBe(0);
    expect(stats.queued).toBeLessThanOrEqual(3);
    expect(stats.inFlight).toBeLessThanOrEqual(1);
    expect(stats.queued + stats.inFlight + stats.failed + stats.dropped).toBe(8);
    await on.reporter.stop();
  });

  it('a report endpoint answering 500 is counted as failed and swallowed', async () => {
    emulator.control.setFaults('report', { httpStatus: 500 });
    const { logger } = captureLogger();
    const reporter = createLatencyReporter(config(2), { logger });
    reporter.record(success);
    reporter.record(failure);
    await reporter.drain();
    expect(reporter.stats()).toMatchObject({ sent: 0, failed: 2 });
  });

  it('an event the report cannot carry (bad url) is counted, not thrown', async () => {
    const { logger } = captureLogger();
    const reporter = createLatencyReporter(config(2), { logger });
    expect(() => reporter.record({ ...success, interfaceUrl: 'not a url' })).not.toThrow();
    await reporter.drain();
    expect(reporter.stats()).toMatchObject({ sent: 0, failed: 1 });
    expect(formatWxPayTime(startedAt)).toBe('20261125100304');
  });
});
