/**
 * One timed WeChat Pay v2 call, as payitil/report wants it (the gateway's WxPayCallEvent mapped by
 * gateway-call-observer.ts). Wire-ish values (`returnCode` is the
 * string WeChat sent, or `FAIL` when no usable answer came back).
 */
export interface ReportedCall {
  /** Full URL called, e.g. `https://api.mch.weixin.qq.com/pay/unifiedorder`. */
  interfaceUrl: string;
  startedAt: Date;
  executeTimeMs: number;
  returnCode: string;
  returnMsg?: string;
  /** Always sent (required by WeChat Pay); FAIL with errCode/errCodeDes when no business answer came. */
  resultCode: string;
  errCode?: string;
  errCodeDes?: string;
  outTradeNo?: string;
}

/** Level 1 reports only these: transport failure, `return_code` FAIL or `result_code` FAIL. */
export function isFailedCall(event: ReportedCall): boolean {
  return event.returnCode !== 'SUCCESS' || event.resultCode !== 'SUCCESS';
}
