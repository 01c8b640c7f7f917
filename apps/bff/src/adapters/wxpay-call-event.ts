import type { TransportFailure } from './wxpay-transport-error';

/**
 * One HTTP attempt against WeChat Pay v2, as observed by the gateway. Feeds logs now and
 * payitil/report + metrics without touching the payment path.
 */
export interface WxPayCallEvent {
  interfaceName: 'unifiedorder' | 'orderquery' | 'closeorder' | 'refund' | 'refundquery';
  /** Full URL called (payitil/report interface_url). */
  interfaceUrl: string;
  outTradeNo: string;
  attempt: number;
  executeTimeMs: number;
  outcome: 'success' | 'return_fail' | 'result_fail' | 'connection_error' | 'invalid_response';
  returnCode: 'SUCCESS' | 'FAIL' | null;
  returnMsg: string | null;
  resultCode: 'SUCCESS' | 'FAIL' | null;
  errCode: string | null;
  errCodeDes: string | null;
  /** connection_error only: what happened (timeout, refused, HTTP 503…). */
  transportFailure?: TransportFailure;
  startedAt: Date;
}

export type WxPayCallObserver = (event: WxPayCallEvent) => void;
