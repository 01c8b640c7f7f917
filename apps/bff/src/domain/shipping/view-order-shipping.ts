import type { OrderRepository } from '../orders/order-repository';
import type { UnitOfWork } from '../ports/unit-of-work';
import { ShippingError } from './shipping-error';
import type { ShippingReader, UploadState } from './shipping-reader';
import type { OrderShippingRecord, ShipmentRecord } from './shipping-record';
import type { WechatOrderView, WechatShippingApi } from './wechat-shipping-api';

export interface OrderShippingOverview {
  outTradeNo: string;
  shipping: OrderShippingRecord;
  shipments: { shipment: ShipmentRecord; upload: UploadState }[];
  wechat: { available: true; order: WechatOrderView } | { available: false; reason: string };
}

/** order_state values after the buyer confirmed receipt: 3 确认收货, 6 资金待结算, 4 交易完成. */
const receivedStates = new Set([3, 4, 6]);

/**
 * The operator's view of an order's shipping: ours (status, each upload's job) beside WeChat's
 * (get_order). A receipt WeChat reports that we have not recorded (no message push configured)
 * is recorded now, as data.
 */
export async function viewOrderShipping(
  deps: { orders: Pick<OrderRepository, 'findPaymentTarget'>; reader: ShippingReader; api: WechatShippingApi; unitOfWork: UnitOfWork; clock: { now(): Date } },
  outTradeNo: string,
): Promise<OrderShippingOverview> {
  const target = await deps.orders.findPaymentTarget(outTradeNo);
  if (!target) throw new ShippingError('ORDER_NOT_FOUND', `no order with out_trade_no ${outTradeNo}`);
  let shipping = await deps.reader.find(target.id);
  if (!shipping || target.transactionId === null) throw new ShippingError('ORDER_NOT_PAID', `order ${outTradeNo} has no shipping: it is not paid, or was paid before shipping was tracked and has no shipment yet`);
  const shipments = await deps.reader.shipmentsWithUploads(target.id);
  const answer = await deps.api.getOrder(target.transactionId);
  const wechat: OrderShippingOverview['wechat'] =
    answer.kind === 'ok'
      ? { available: true, order: answer.value }
      : { available: false, reason: answer.kind === 'errcode' ? `WX_ERRCODE:${answer.errcode}:${answer.errmsg.slice(0, 160)}` : answer.reason };
  if (answer.kind === 'ok' && receivedStates.has(answer.value.orderState) && shipping.status !== 'received') {
    const now = deps.clock.now();
    await deps.unitOfWork.run((scope) => scope.shipping.markReceived(target.id, { receivedAt: now, confirmReceiveMethod: null, settlementTime: null }, now));
    shipping = { ...shipping, status: 'received', receivedAt: now };
  }
  return { outTradeNo, shipping, shipments, wechat };
}
