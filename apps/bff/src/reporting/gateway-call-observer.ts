import type { BffMetrics, WxPayCallOutcome } from '../metrics/bff-metrics';
import type { LatencyReporter } from './latency-reporter';
import type { WxPayCallEvent } from '../adapters/wxpay-call-event';

const outcomes: Record<WxPayCallEvent['outcome'], WxPayCallOutcome> = {
  success: 'SUCCESS',
  return_fail: 'RETURN_FAIL',
  result_fail: 'RESULT_FAIL',
  connection_error: 'CONNECTION_ERROR',
  invalid_response: 'INVALID_RESPONSE',
};

/**
 * The gateway observer: records call metrics and hands the attempt to payitil/report.
 * Synchronous and exception-proof: it runs on the payment path.
 */
export function createGatewayCallObserver(deps: {
  reporter: LatencyReporter;
  metrics?: Pick<BffMetrics, 'wxpayCalls' | 'wxpayCallDuration'>;
}): (event: WxPayCallEvent) => void {
  return (event) => {
    try {
      const labels = { interface: interfaceLabel(event.interfaceUrl), outcome: outcomes[event.outcome] };
      deps.metrics?.wxpayCalls.inc(labels);
      deps.metrics?.wxpayCallDuration.observe(labels, event.executeTimeMs / 1000);
      const noResult = event.resultCode === null ? whatHappened(event) : undefined;
      deps.reporter.record({
        interfaceUrl: event.interfaceUrl,
        startedAt: event.startedAt,
        executeTimeMs: event.executeTimeMs,
        // No WeChat answer (connection error, unverifiable body) is reported as a transport failure.
        returnCode: event.returnCode ?? 'FAIL',
        returnMsg: event.returnMsg ?? undefined,
        // result_code is required on the wire: a call with no business answer is a FAIL that says why.
        resultCode: event.resultCode ?? 'FAIL',
        errCode: event.errCode ?? noResult?.code,
        errCodeDes: event.errCodeDes ?? noResult?.description,
        outTradeNo: event.outTradeNo,
      });
    } catch {
      // Observability must never fail a payment.
    }
  };
}

/** err_code / err_code_des for a call that got no business answer. */
function whatHappened(event: WxPayCallEvent): { code: string; description: string } {
  switch (event.outcome) {
    case 'connection_error':
      return event.transportFailure ?? { code: 'CONNECTION_ERROR', description: event.returnMsg ?? 'no answer' };
    case 'invalid_response':
      return { code: 'INVALID_RESPONSE', description: `answer not trusted: ${event.returnMsg ?? 'unverifiable'}` };
    case 'return_fail':
      return { code: 'RETURN_FAIL', description: event.returnMsg ?? 'return_code FAIL' };
    default:
      return { code: 'NO_RESULT', description: 'no result_code in the answer' };
  }
}

/** Metric label for an interface: the path (`/pay/unifiedorder`), never a query string. */
function interfaceLabel(interfaceUrl: string): string {
  try {
    return new URL(interfaceUrl).pathname;
  } catch {
    return 'unknown';
  }
}
