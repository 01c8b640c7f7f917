import type { UploadShippingInfoRequest } from './upload-shipping-request';
import type { WechatOrderShipping } from './wechat-shipping-api';

/**
 * Whether WeChat already shows this upload (same logistics type, delivery mode and completion,
 * and each of its parcels among the order's, which add up over a split shipment): then an earlier
 * attempt whose answer was lost went through, and sending it again would spend the order's single
 * re-ship (每笔支付单仅有一次重新发货机会) or be refused.
 */
export function uploadAlreadyApplied(request: UploadShippingInfoRequest, shipping: WechatOrderShipping | null): boolean {
  if (!shipping) return false;
  if (shipping.logisticsType !== null && shipping.logisticsType !== request.logistics_type) return false;
  if (shipping.deliveryMode !== null && shipping.deliveryMode !== request.delivery_mode) return false;
  const complete = request.delivery_mode === 1 || request.is_all_delivered === true;
  if (shipping.finishShipping !== null && shipping.finishShipping !== complete) return false;
  if (request.logistics_type !== 1) return shipping.parcelCount > 0 || shipping.finishShipping === true;
  const shown = new Set(shipping.trackingNumbers);
  return request.shipping_list.every((parcel) => parcel.tracking_no !== undefined && shown.has(parcel.tracking_no));
}
