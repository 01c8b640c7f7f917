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
 * The gateway observer for issue 7: records call metrics and hands the attempt to payitil/report.
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
      deps.reporter.record({
        interfaceUrl: event.interfaceUrl,
        startedAt: event.startedAt,
        executeTimeMs: event.executeTimeMs,
        // No WeChat answer (connection error, unverifiable body) is reported as a transport failure.
        returnCode: event.returnCode ?? 'FAIL',
        returnMsg: event.returnMsg ?? undefined,
        resultCode: event.resultCode ?? undefined,
        errCode: event.errCode ?? undefined,
        errCodeDes: event.errCodeDes ?? undefined,
        outTradeNo: event.outTradeNo,
      });
    } catch {
      // Observability must never fail a payment.
    }
  };
}

/** Metric label for an interface: the path (`/pay/unifiedorder`), never a query string. */
function interfaceLabel(interfaceUrl: string): string {
  try {
    return new URL(interfaceUrl).pathname;
  } catch {
    return 'unknown';
  }
}
