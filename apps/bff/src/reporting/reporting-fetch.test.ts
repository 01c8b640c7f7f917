import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type RunningEmulator } from '@checkout/wxpay-emulator';
import {
  buildOrderQueryRequest,
  buildUnifiedOrderRequest,
  parseOrderQueryResponse,
  parseUnifiedOrderResponse,
  WxPayConnectionError,
  type V2Merchant,
} from '@checkout/protocol/wxpay';
import { devMerchant } from '@checkout/protocol/testing';
import { createBffMetrics } from '../metrics/bff-metrics';
import { captureLogger } from '../outbox/test-logger';
import { createLatencyReporter } from './latency-reporter';
import { createReportingFetch } from './reporting-fetch';
import { timeWxPayCall } from './time-wxpay-call';

const emulator = createEmulator();
let running: RunningEmulator;
const merchant: V2Merchant = { appId: devMerchant.appId, mchId: devMerchant.mchId, apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' };

beforeAll(async () => {
  running = await emulator.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await running.close();
});
afterEach(() => {
  emulator.control.reset();
});

const setup = () => {
  const { logger } = captureLogger();
  const metrics = createBffMetrics({ collectDefault: false });
  const reporter = createLatencyReporter({ level: 2, reportUrl: `${running.url}/payitil/report`, merchant, userIp: '10.0.0.9' }, { logger, metrics });
  return { reporter, metrics, doFetch: createReportingFetch({ reporter, metrics }) };
};

const unifiedOrderXml = (outTradeNo: string): string =>
  buildUnifiedOrderRequest(
    { body: '测试', outTradeNo, totalFee: 100, spbillCreateIp: '127.0.0.1', notifyUrl: 'https://example.com/notify', openid: 'o_user' },
    merchant,
    'abcdef0123456789',
  ).xml;

describe('createReportingFetch', () => {
  it('times a successful call, passes the answer through unchanged and reports it', async () => {
    const { reporter, metrics, doFetch } = setup();
    const url = `${running.url}/pay/unifiedorder`;
    const response = await doFetch(url, { method: 'POST', body: unifiedOrderXml('RF_OK_1') });
    expect(parseUnifiedOrderResponse(await response.text(), merchant).prepayId).toMatch(/^wx/);
    await reporter.drain();
    const [report] = emulator.control.reports();
    expect(report?.fields).toMatchObject({ interface_url: url, out_trade_no: 'RF_OK_1', return_code: 'SUCCESS', result_code: 'SUCCESS', user_ip: '10.0.0.9' });
    expect(Number(report?.fields.execute_time_)).toBeGreaterThanOrEqual(0);
    const calls = await metrics.registry.getSingleMetricAsString('bff_wxpay_calls_total');
    expect(calls).toContain('bff_wxpay_calls_total{interface="/pay/unifiedorder",outcome="SUCCESS"} 1');
  });

  it('reports SYSTEMERROR answers with err_code, and dropped connections as return_code FAIL', async () => {
    const { reporter, metrics, doFetch } = setup();
    emulator.control.setFaults('unifiedorder', { systemErrorRate: 1, count: 1 });
    const first = await doFetch(`${running.url}/pay/unifiedorder`, { method: 'POST', body: unifiedOrderXml('RF_SYS_1') });
    expect(await first.text()).toContain('SYSTEMERROR');

    emulator.control.setFaults('unifiedorder', { dropConnectionRate: 1, count: 1 });
    await expect(doFetch(`${running.url}/pay/unifiedorder`, { method: 'POST', body: unifiedOrderXml('RF_DROP_1') })).rejects.toThrow();
    await reporter.drain();

    const byNo = new Map(emulator.control.reports().map((r) => [r.fields.out_trade_no, r.fields]));
    expect(byNo.get('RF_SYS_1')).toMatchObject({ return_code: 'SUCCESS', result_code: 'FAIL', err_code: 'SYSTEMERROR' });
    expect(byNo.get('RF_DROP_1')).toMatchObject({ return_code: 'FAIL' });
    expect(byNo.get('RF_DROP_1')?.return_msg).toMatch(/^TypeError/);
    const calls = await metrics.registry.getSingleMetricAsString('bff_wxpay_calls_total');
    expect(calls).toContain('outcome="RESULT_FAIL"} 1');
    expect(calls).toContain('outcome="CONNECTION_ERROR"} 1');
  });
});

describe('timeWxPayCall', () => {
  it('reports what a gateway call returned or threw, and rethrows it untouched', async () => {
    const { reporter, metrics } = setup();
    const url = `${running.url}/pay/orderquery`;
    const query = async (outTradeNo: string) => {
      const response = await fetch(url, { method: 'POST', body: buildOrderQueryRequest({ outTradeNo }, merchant, 'nonce1234').xml });
      return parseOrderQueryResponse(await response.text(), merchant);
    };
    await expect(timeWxPayCall({ reporter, metrics }, { interfaceUrl: url, outTradeNo: 'NOPE_1' }, () => query('NOPE_1'))).rejects.toMatchObject({
      errCode: 'ORDERNOTEXIST',
    });
    const lost = new WxPayConnectionError('socket hang up');
    await expect(timeWxPayCall({ reporter, metrics }, { interfaceUrl: url, outTradeNo: 'LOST_1' }, () => Promise.reject(lost))).rejects.toBe(lost);
    await expect(timeWxPayCall({ reporter, metrics }, { interfaceUrl: url }, () => Promise.resolve(42))).resolves.toBe(42);
    await reporter.drain();
    const reports = emulator.control.reports().map((r) => r.fields);
    expect(reports).toHaveLength(3);
    expect(reports.find((f) => f.out_trade_no === 'NOPE_1')).toMatchObject({ return_code: 'SUCCESS', result_code: 'FAIL', err_code: 'ORDERNOTEXIST' });
    expect(reports.find((f) => f.out_trade_no === 'LOST_1')).toMatchObject({ return_code: 'FAIL', return_msg: 'WxPayConnectionError:CONNECTION_FAILED' });
    expect(await metrics.registry.getSingleMetricAsString('bff_wxpay_calls_total')).toContain('outcome="CONNECTION_ERROR"} 1');
  });
});
