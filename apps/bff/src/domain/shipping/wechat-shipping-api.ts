import type { UploadShippingInfoRequest } from './upload-shipping-request';

/**
 * What a /wxa call came back with. `errcode`: WeChat answered with a business error (after the
 * access_token was renewed once if it was refused); `unavailable`: no usable answer (timeout,
 * dropped connection, HTTP 5xx, unreadable body, no access_token): the request may or may not
 * have been applied.
 */
export type WxaResult<T> = { kind: 'ok'; value: T } | { kind: 'errcode'; errcode: number; errmsg: string } | { kind: 'unavailable'; reason: string };

/** get_order's shipping block, as far as it is needed to recognise an upload. */
export interface WechatOrderShipping {
  logisticsType: number | null;
  deliveryMode: number | null;
  finishShipping: boolean | null;
  finishShippingCount: number | null;
  trackingNumbers: string[];
  parcelCount: number;
}

/** get_order's view of a payment. `orderState`: 1 待发货 … 6 资金待结算; unknown values kept. */
export interface WechatOrderView {
  transactionId: string;
  merchantTradeNo: string | null;
  orderState: number;
  inComplaint: boolean;
  shipping: WechatOrderShipping | null;
}

/** WeChat's order shipping management (`/wxa/sec/order/*`) as the use-cases need it. */
export interface WechatShippingApi {
  uploadShippingInfo(request: UploadShippingInfoRequest): Promise<WxaResult<null>>;
  getOrder(transactionId: string): Promise<WxaResult<WechatOrderView>>;
}
