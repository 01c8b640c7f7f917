import type { BffMetrics } from '../metrics/bff-metrics';
import type { LatencyReporter } from './latency-reporter';
import { WxPayConnectionError } from '@checkout/protocol/wxpay';
import { callOutcome, callStatusFromError, interfaceLabel, type WxPayCallStatus } from './wxpay-call-outcome';

export interface TimedCall {
  interfaceUrl: string;
  outTradeNo?: string;
}

/**
 * For gateways that do not take a fetch: times `call` (one attempt), reports it and records
 * metrics, and returns or rethrows exactly what `call` did. Prefer createReportingFetch, which
 * also sees answers the gateway later rejects.
 */
export async function timeWxPayCall<T>(
  deps: { reporter: LatencyReporter; metrics?: Pick<BffMetrics, 'wxpayCalls' | 'wxpayCallDuration'> },
  target: TimedCall,
  call: () => Promise<T>,
): Promise<T> {
  const startedAt = new Date();
  const t0 = performance.now();
  const finish = (status: WxPayCallStatus, transportFailed: boolean): void => {
    const executeTimeMs = performance.now() - t0;
    try {
      const labels = { interface: interfaceLabel(target.interfaceUrl), outcome: callOutcome(status, transportFailed) };
      deps.metrics?.wxpayCalls.inc(labels);
      deps.metrics?.wxpayCallDuration.observe(labels, executeTimeMs / 1000);
    } catch {
      // metrics must not break a payment
    }
    deps.reporter.record({ interfaceUrl: target.interfaceUrl, outTradeNo: target.outTradeNo, startedAt, executeTimeMs, ...status });
  };
  try {
    const result = await call();
    finish({ returnCode: 'SUCCESS', resultCode: 'SUCCESS' }, false);
    return result;
  } catch (error) {
    finish(callStatusFromError(error), error instanceof WxPayConnectionError);
    throw error;
  }
}
