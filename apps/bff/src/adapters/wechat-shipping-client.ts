import type { UploadShippingInfoRequest } from '../domain/shipping/upload-shipping-request';
import type { WechatOrderShipping, WechatOrderView, WechatShippingApi, WxaResult } from '../domain/shipping/wechat-shipping-api';
import type { WxaClient } from './wxa-client';

/** `/wxa/sec/order/upload_shipping_info` and `get_order` over the token-carrying client. */
export class WechatShippingClient implements WechatShippingApi {
  constructor(private readonly wxa: WxaClient) {}

  async uploadShippingInfo(request: UploadShippingInfoRequest): Promise<WxaResult<null>> {
    const result = await this.wxa.call('/wxa/sec/order/upload_shipping_info', request);
    return result.kind === 'ok' ? { kind: 'ok', value: null } : result;
  }

  async getOrder(transactionId: string): Promise<WxaResult<WechatOrderView>> {
    const result = await this.wxa.call('/wxa/sec/order/get_order', { transaction_id: transactionId });
    if (result.kind !== 'ok') return result;
    const order = result.value.order;
    if (typeof order !== 'object' || order === null) return { kind: 'unavailable', reason: 'INVALID_RESPONSE' };
    return { kind: 'ok', value: toOrderView(order as Record<string, unknown>, transactionId) };
  }
}

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** get_order's order object; unknown or missing fields are tolerated (the API grows). */
function toOrderView(order: Record<string, unknown>, transactionId: string): WechatOrderView {
  const shipping = typeof order.shipping === 'object' && order.shipping !== null ? (order.shipping as Record<string, unknown>) : null;
  return {
    transactionId: typeof order.transaction_id === 'string' && order.transaction_id !== '' ? order.transaction_id : transactionId,
    merchantTradeNo: typeof order.merchant_trade_no === 'string' ? order.merchant_trade_no : null,
    orderState: numberOrNull(order.order_state) ?? 0,
    inComplaint: order.in_complaint === true,
    shipping: shipping ? toShipping(shipping) : null,
  };
}

function toShipping(shipping: Record<string, unknown>): WechatOrderShipping {
  const list = Array.isArray(shipping.shipping_list) ? (shipping.shipping_list as unknown[]) : [];
  const trackingNumbers = list
    .map((item) => (typeof item === 'object' && item !== null ? (item as Record<string, unknown>).tracking_no : undefined))
    .filter((trackingNo): trackingNo is string => typeof trackingNo === 'string' && trackingNo !== '');
  return {
    logisticsType: numberOrNull(shipping.logistics_type),
    deliveryMode: numberOrNull(shipping.delivery_mode),
    finishShipping: typeof shipping.finish_shipping === 'boolean' ? shipping.finish_shipping : null,
    finishShippingCount: numberOrNull(shipping.finish_shipping_count),
    trackingNumbers,
    parcelCount: list.length,
  };
}
