import { parseXml } from '@checkout/protocol/wxpay';
import type { BffMetrics } from '../metrics/bff-metrics';
import type { LatencyReporter } from './latency-reporter';
import { callOutcome, callStatusFromFields, describeTransportError, interfaceLabel, type WxPayCallStatus } from './wxpay-call-outcome';

export interface ReportingFetchDeps {
  reporter: LatencyReporter;
  metrics?: Pick<BffMetrics, 'wxpayCalls' | 'wxpayCallDuration'>;
  /** The fetch that really talks to WeChat Pay. Default: global fetch. */
  fetch?: typeof fetch;
}

/**
 * A `fetch` for the v2 gateway that times every call (body read included), reports it through
 * payitil/report and records metrics, then hands back an equivalent Response. Reporting is
 * fire-and-forget: the caller never waits for it and its failures never reach the caller.
 * Never wrap the reporter's own fetch or v3 calls with it.
 */
export function createReportingFetch(deps: ReportingFetchDeps): typeof fetch {
  const inner = deps.fetch ?? globalThis.fetch;
  const observe = (url: string, startedAt: Date, t0: number, status: WxPayCallStatus, outTradeNo: string | undefined, transportFailed: boolean): void => {
    const executeTimeMs = performance.now() - t0;
    try {
      const labels = { interface: interfaceLabel(url), outcome: callOutcome(status, transportFailed) };
      deps.metrics?.wxpayCalls.inc(labels);
      deps.metrics?.wxpayCallDuration.observe(labels, executeTimeMs / 1000);
    } catch {
      // metrics must not break a payment
    }
    deps.reporter.record({ interfaceUrl: url, startedAt, executeTimeMs, outTradeNo, ...status });
  };

  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const outTradeNo = outTradeNoOf(init?.body);
    const startedAt = new Date();
    const t0 = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await inner(input, init);
      text = await response.text();
    } catch (error) {
      observe(url, startedAt, t0, { returnCode: 'FAIL', returnMsg: describeTransportError(error) }, outTradeNo, true);
      throw error;
    }
    observe(url, startedAt, t0, statusOfAnswer(response.status, text), outTradeNo, false);
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function outTradeNoOf(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    return parseXml(body).out_trade_no || undefined;
  } catch {
    return undefined;
  }
}

function statusOfAnswer(httpStatus: number, text: string): WxPayCallStatus {
  try {
    const status = callStatusFromFields(parseXml(text));
    return httpStatus >= 200 && httpStatus < 300 ? status : { ...status, returnCode: 'FAIL', returnMsg: status.returnMsg ?? `HTTP ${httpStatus}` };
  } catch {
    return { returnCode: 'FAIL', returnMsg: httpStatus >= 200 && httpStatus < 300 ? 'unparseable answer' : `HTTP ${httpStatus}` };
  }
}
