import { Router } from '@koa/router';
import type { Context } from 'koa';
import { parseWxPayTime } from '@checkout/protocol/wxpay';
import type { EmulatorDeps } from '../emulator-deps';
import { checkGetOrder, checkShippingUpload, DELIVERY_COMPANIES, SHIPPING_ERRORS } from '../rules/shipping-rules';
import type { OrderRecord } from '../state/store';
import { checkAccessToken, jsonBodyOrEmpty, withRid, wxJsonEndpoint } from './wx-json-endpoint';

const OK = { errcode: 0, errmsg: 'ok' } as const;
const NOT_FOUND = { errcode: SHIPPING_ERRORS.orderNotFound, errmsg: '支付单不存在' } as const;

/** get_order's description: ≤120 characters, longer ones cut with "…". */
function description(body: string): string {
  const chars = [...body];
  return chars.length <= 120 ? body : `${chars.slice(0, 119).join('')}…`;
}

function unixSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** The order object of get_order (facts §5.3). */
export function shippingOrderView(deps: EmulatorDeps, order: OrderRecord): Record<string, unknown> {
  const record = deps.shipping.recordOf(order);
  const last = record?.uploads.at(-1);
  const shipping: Record<string, unknown> =
    record === undefined || last === undefined
      ? { finish_shipping: false, finish_shipping_count: 0, goods_desc: '', shipping_list: [] }
      : {
          delivery_mode: last.delivery_mode,
          logistics_type: last.logistics_type,
          finish_shipping: record.finished,
          goods_desc: record.items.map((i) => i.item_desc).join(';'),
          finish_shipping_count: record.finished ? record.rounds : record.rounds - 1,
          upload_scene: 1,
          shipping_list: record.items.map((item) => ({
            tracking_no: item.tracking_no ?? '',
            express_company: item.express_company ?? '',
            goods_desc: item.item_desc,
            upload_time: Math.floor(item.uploadTimeMs / 1000),
            contact: { consignor_contact: item.contact?.consignor_contact ?? '', receiver_contact: item.contact?.receiver_contact ?? '' },
          })),
        };
  return {
    transaction_id: order.transactionId ?? '',
    merchant_id: order.mchId,
    sub_merchant_id: '',
    merchant_trade_no: order.outTradeNo,
    description: description(order.body),
    paid_amount: order.totalFee,
    openid: order.openid,
    trade_create_time: unixSeconds(order.createdAt),
    pay_time: order.timeEnd === undefined ? 0 : Math.floor(parseWxPayTime(order.timeEnd).getTime() / 1000),
    order_state: deps.shipping.stateOf(order),
    in_complaint: false,
    shipping,
  };
}

async function uploadShippingInfo(ctx: Context, deps: EmulatorDeps): Promise<object> {
  const token = checkAccessToken(ctx, deps);
  if (!token.ok) return withRid(token.error);
  const body = await jsonBodyOrEmpty(ctx, deps);
  if (!body.ok) return withRid(body.error);
  const checked = checkShippingUpload(body.value);
  if (!checked.ok) return withRid(checked.error);
  const order = deps.shipping.findOrder(token.appId, checked.upload.order_key);
  if (order === undefined) return withRid(NOT_FOUND);
  const refused = deps.shipping.upload(order, checked.upload);
  return refused === undefined ? OK : withRid(refused);
}

async function getOrder(ctx: Context, deps: EmulatorDeps): Promise<object> {
  const token = checkAccessToken(ctx, deps);
  if (!token.ok) return withRid(token.error);
  const body = await jsonBodyOrEmpty(ctx, deps);
  if (!body.ok) return withRid(body.error);
  const checked = checkGetOrder(body.value);
  if (!checked.ok) return withRid(checked.error);
  const { key } = checked;
  const order =
    'transactionId' in key ? [...deps.store.orders.values()].find((o) => o.transactionId === key.transactionId) : deps.store.findOrder(key.mchId, key.outTradeNo);
  if (!deps.shipping.visible(token.appId, order)) return withRid(NOT_FOUND);
  return { ...OK, order: shippingOrderView(deps, order) };
}

/**
 * Mini-program 发货信息管理 on api.weixin.qq.com: upload_shipping_info, get_order, and the
 * courier list of 物流服务 (get_delivery_list) that express_company codes come from.
 */
export function shippingRoutes(deps: EmulatorDeps): Router {
  const router = new Router();
  router.all('/wxa/sec/order/upload_shipping_info', wxJsonEndpoint(deps, 'uploadShippingInfo', (ctx) => uploadShippingInfo(ctx, deps)));
  router.all('/wxa/sec/order/get_order', wxJsonEndpoint(deps, 'getOrder', (ctx) => getOrder(ctx, deps)));
  // 查询小程序是否已开通发货信息管理服务 / 是否已完成交易结算管理确认: the emulator's apps always have.
  for (const [path, field] of [
    ['/wxa/sec/order/is_trade_managed', 'is_trade_managed'],
    ['/wxa/sec/order/is_trade_management_confirmation_completed', 'completed'],
  ] as const) {
    router.all(
      path,
      wxJsonEndpoint(deps, 'isTradeManaged', async (ctx) => {
        const token = checkAccessToken(ctx, deps);
        if (!token.ok) return withRid(token.error);
        const body = await jsonBodyOrEmpty(ctx, deps);
        if (!body.ok) return withRid(body.error);
        const appid = typeof body.value === 'object' && body.value !== null ? (body.value as Record<string, unknown>).appid : undefined;
        if (typeof appid !== 'string' || appid === '') return withRid({ errcode: 47001, errmsg: 'data format error: appid missing' });
        if (appid !== token.appId) return withRid({ errcode: 40013, errmsg: 'invalid appid' });
        return { ...OK, [field]: true };
      }),
    );
  }
  router.all(
    '/cgi-bin/express/delivery/open_msg/get_delivery_list',
    wxJsonEndpoint(deps, 'getDeliveryList', (ctx) => {
      const token = checkAccessToken(ctx, deps);
      if (!token.ok) return withRid(token.error);
      return { ...OK, delivery_list: DELIVERY_COMPANIES.map((c) => ({ ...c })), count: DELIVERY_COMPANIES.length };
    }),
  );
  return router;
}
