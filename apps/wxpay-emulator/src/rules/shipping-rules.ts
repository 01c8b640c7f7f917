import type { WxApiError } from './access-token-rules';

/**
 * The emulator's own checks of `POST /wxa/sec/order/upload_shipping_info` (facts §5.2). Structure,
 * types and lengths are checked here; the order-dependent rules (payer, re-ship, state, time order)
 * are in state/shipping.ts.
 */

/** 物流模式: 1 实体物流配送 (express), 2 同城配送, 3 虚拟商品, 4 用户自提. */
export type LogisticsType = 1 | 2 | 3 | 4;
/** 1 UNIFIED_DELIVERY (统一发货), 2 SPLIT_DELIVERY (分拆发货). */
export type DeliveryMode = 1 | 2;

export const LOGISTICS_EXPRESS = 1;
export const DELIVERY_UNIFIED = 1;
export const DELIVERY_SPLIT = 2;
export const MAX_SHIPPING_ITEMS = 15;
export const MAX_ITEM_DESC_CHARS = 120;
export const MAX_TRACKING_NO_CHARS = 128;
export const MAX_CONTACT_CHARS = 1024;
export const MAX_OPENID_CHARS = 128;
/** WeChat Pay's out_trade_no, transaction_id and mchid are String(32). */
const MAX_ORDER_ID_CHARS = 32;

/**
 * Courier companies the emulator accepts as `express_company`: the common `delivery_id` values of
 * get_delivery_list. The real list is longer (hundreds of carriers) and changes: this one is an
 * emulator choice, documented in the README. Any other code is refused with UNKNOWN_EXPRESS_COMPANY.
 */
export const DELIVERY_COMPANIES: readonly { delivery_id: string; delivery_name: string }[] = [
  { delivery_id: 'SF', delivery_name: '顺丰速运' },
  { delivery_id: 'YTO', delivery_name: '圆通速递' },
  { delivery_id: 'ZTO', delivery_name: '中通快递' },
  { delivery_id: 'STO', delivery_name: '申通快递' },
  { delivery_id: 'YD', delivery_name: '韵达快递' },
  { delivery_id: 'JTSD', delivery_name: '极兔速递' },
  { delivery_id: 'JD', delivery_name: '京东快递' },
  { delivery_id: 'EMS', delivery_name: 'EMS' },
  { delivery_id: 'YZPY', delivery_name: '邮政快递包裹' },
  { delivery_id: 'DBL', delivery_name: '德邦快递' },
  { delivery_id: 'ZJS', delivery_name: '宅急送' },
  { delivery_id: 'HTKY', delivery_name: '百世快递' },
  { delivery_id: 'ZTOKY', delivery_name: '中通快运' },
  { delivery_id: 'ANE', delivery_name: '安能物流' },
  { delivery_id: 'KYSY', delivery_name: '跨越速运' },
  { delivery_id: 'SFCITY', delivery_name: '顺丰同城' },
];
const COMPANY_IDS = new Set(DELIVERY_COMPANIES.map((c) => c.delivery_id));

/** The carrier whose parcels need a contact (consignor or receiver, masked): 顺丰. */
export const CONTACT_REQUIRED_COMPANY = 'SF';

/**
 * Tracking numbers: 1-128 characters of letters, digits and `-` (an emulator rule: carriers' numbers
 * are alphanumeric; spaces, punctuation and non-ASCII are refused).
 */
export const TRACKING_NO_RE = /^[A-Za-z0-9-]{1,128}$/;

/**
 * RFC 3339 date-time: `2022-12-15T13:29:35.120+08:00` or `…Z`, fraction optional (WeChat wants
 * no `.000`; the emulator accepts any fraction).
 */
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch of an RFC 3339 time naming a real instant, else undefined. */
export function parseRfc3339(value: string): number | undefined {
  const m = RFC3339_RE.exec(value);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return undefined;
  const ms = Date.parse(value.toUpperCase());
  return Number.isFinite(ms) ? ms : undefined;
}

export interface ShippingItem {
  tracking_no?: string;
  express_company?: string;
  item_desc: string;
  contact?: { consignor_contact?: string; receiver_contact?: string };
}

export type ShippingOrderKey = { order_number_type: 1; mchid: string; out_trade_no: string } | { order_number_type: 2; transaction_id: string };

export interface ShippingUpload {
  order_key: ShippingOrderKey;
  logistics_type: LogisticsType;
  delivery_mode: DeliveryMode;
  is_all_delivered?: boolean;
  shipping_list: ShippingItem[];
  upload_time: string;
  uploadTimeMs: number;
  payer: { openid: string };
}

/** The errcodes of upload_shipping_info (community-observed: the official table was not retrieved). */
export const SHIPPING_ERRORS = {
  dataFormat: 47001,
  orderNotFound: 10060001,
  reshipUsed: 10060003,
  notShippable: 10060004,
  wrongPayer: 10060031,
  badUploadTime: 268485216,
} as const;

/** 47001 data format error, with the emulator's reason after it (WeChat's errmsg is just "data format error"). */
const format = (reason: string): WxApiError => ({ errcode: SHIPPING_ERRORS.dataFormat, errmsg: `data format error: ${reason}` });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
/** Length in characters (code points), as WeChat counts item_desc. */
const chars = (s: string): number => [...s].length;

function optionalText(value: unknown, name: string, max: number): WxApiError | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return format(`${name} must be a string`);
  if (chars(value) > max) return format(`${name} longer than ${max} characters`);
  return undefined;
}

function requiredText(value: unknown, name: string, max: number): { ok: true; value: string } | { ok: false; error: WxApiError } {
  if (value === undefined || value === null || value === '') return { ok: false, error: format(`${name} missing`) };
  if (typeof value !== 'string') return { ok: false, error: format(`${name} must be a string`) };
  if (chars(value) > max) return { ok: false, error: format(`${name} longer than ${max} characters`) };
  return { ok: true, value };
}

/** order_key as upload_shipping_info sends it: 1 = mchid + out_trade_no, 2 = transaction_id. */
export function checkOrderKey(value: unknown): { ok: true; key: ShippingOrderKey } | { ok: false; error: WxApiError } {
  if (!isObject(value)) return { ok: false, error: format('order_key must be an object') };
  const type = value.order_number_type;
  if (type === 1) {
    const mchid = requiredText(value.mchid, 'order_key.mchid', MAX_ORDER_ID_CHARS);
    if (!mchid.ok) return mchid;
    const outTradeNo = requiredText(value.out_trade_no, 'order_key.out_trade_no', MAX_ORDER_ID_CHARS);
    if (!outTradeNo.ok) return outTradeNo;
    return { ok: true, key: { order_number_type: 1, mchid: mchid.value, out_trade_no: outTradeNo.value } };
  }
  if (type === 2) {
    const transactionId = requiredText(value.transaction_id, 'order_key.transaction_id', MAX_ORDER_ID_CHARS);
    if (!transactionId.ok) return transactionId;
    return { ok: true, key: { order_number_type: 2, transaction_id: transactionId.value } };
  }
  return { ok: false, error: format('order_key.order_number_type must be 1 or 2') };
}

function checkItem(value: unknown, index: number, logisticsType: LogisticsType): { ok: true; item: ShippingItem } | { ok: false; error: WxApiError } {
  const at = `shipping_list[${index}]`;
  if (!isObject(value)) return { ok: false, error: format(`${at} must be an object`) };
  const desc = requiredText(value.item_desc, `${at}.item_desc`, MAX_ITEM_DESC_CHARS);
  if (!desc.ok) return desc;
  const item: ShippingItem = { item_desc: desc.value };
  const express = logisticsType === LOGISTICS_EXPRESS;
  for (const name of ['tracking_no', 'express_company'] as const) {
    const raw = value[name];
    if (raw === undefined || raw === null || raw === '') {
      if (express) return { ok: false, error: format(`${at}.${name} is required for logistics_type 1`) };
      continue;
    }
    if (typeof raw !== 'string') return { ok: false, error: format(`${at}.${name} must be a string`) };
    item[name] = raw;
  }
  if (item.tracking_no !== undefined && !TRACKING_NO_RE.test(item.tracking_no)) {
    return { ok: false, error: format(`${at}.tracking_no must be 1-${MAX_TRACKING_NO_CHARS} letters, digits or '-'`) };
  }
  if (item.express_company !== undefined && !COMPANY_IDS.has(item.express_company)) {
    return { ok: false, error: { errcode: SHIPPING_ERRORS.dataFormat, errmsg: `data format error: ${at}.express_company is not a delivery_id of get_delivery_list` } };
  }
  const contact = value.contact;
  if (contact !== undefined && contact !== null) {
    if (!isObject(contact)) return { ok: false, error: format(`${at}.contact must be an object`) };
    for (const name of ['consignor_contact', 'receiver_contact'] as const) {
      const problem = optionalText(contact[name], `${at}.contact.${name}`, MAX_CONTACT_CHARS);
      if (problem !== undefined) return { ok: false, error: problem };
    }
    item.contact = {
      ...(typeof contact.consignor_contact === 'string' && contact.consignor_contact !== '' ? { consignor_contact: contact.consignor_contact } : {}),
      ...(typeof contact.receiver_contact === 'string' && contact.receiver_contact !== '' ? { receiver_contact: contact.receiver_contact } : {}),
    };
  }
  if (item.express_company === CONTACT_REQUIRED_COMPANY && item.contact?.consignor_contact === undefined && item.contact?.receiver_contact === undefined) {
    return { ok: false, error: format(`${at}.contact: consignor_contact or receiver_contact is required for express_company SF`) };
  }
  return { ok: true, item };
}

/** Checks an upload_shipping_info body on its own (no order needed). */
export function checkShippingUpload(body: unknown): { ok: true; upload: ShippingUpload } | { ok: false; error: WxApiError } {
  if (!isObject(body)) return { ok: false, error: format('body must be a JSON object') };
  const key = checkOrderKey(body.order_key);
  if (!key.ok) return key;
  const logisticsType = body.logistics_type;
  if (!isInt(logisticsType) || logisticsType < 1 || logisticsType > 4) return { ok: false, error: format('logistics_type must be 1, 2, 3 or 4') };
  const deliveryMode = body.delivery_mode;
  if (deliveryMode !== DELIVERY_UNIFIED && deliveryMode !== DELIVERY_SPLIT) return { ok: false, error: format('delivery_mode must be the number 1 (UNIFIED_DELIVERY) or 2 (SPLIT_DELIVERY)') };
  const isAllDelivered = body.is_all_delivered;
  if (isAllDelivered !== undefined && isAllDelivered !== null && typeof isAllDelivered !== 'boolean') return { ok: false, error: format('is_all_delivered must be a boolean') };
  if (deliveryMode === DELIVERY_SPLIT) {
    if (logisticsType !== LOGISTICS_EXPRESS) return { ok: false, error: format('SPLIT_DELIVERY needs logistics_type 1 (express)') };
    if (typeof isAllDelivered !== 'boolean') return { ok: false, error: format('is_all_delivered is required for SPLIT_DELIVERY') };
  }
  const list = body.shipping_list;
  if (!Array.isArray(list)) return { ok: false, error: format('shipping_list must be an array') };
  if (list.length < 1 || list.length > MAX_SHIPPING_ITEMS) return { ok: false, error: format(`shipping_list must have 1-${MAX_SHIPPING_ITEMS} items`) };
  if (deliveryMode === DELIVERY_UNIFIED && list.length !== 1) return { ok: false, error: format('UNIFIED_DELIVERY takes exactly one shipping_list item') };
  const items: ShippingItem[] = [];
  for (const [index, raw] of list.entries()) {
    const checked = checkItem(raw, index, logisticsType as LogisticsType);
    if (!checked.ok) return checked;
    items.push(checked.item);
  }
  const uploadTime = body.upload_time;
  if (typeof uploadTime !== 'string' || uploadTime === '') return { ok: false, error: { errcode: SHIPPING_ERRORS.badUploadTime, errmsg: '上传时间非法，请按照 RFC 3339 格式填写' } };
  const uploadTimeMs = parseRfc3339(uploadTime);
  if (uploadTimeMs === undefined) return { ok: false, error: { errcode: SHIPPING_ERRORS.badUploadTime, errmsg: '上传时间非法，请按照 RFC 3339 格式填写' } };
  const payer = body.payer;
  if (!isObject(payer)) return { ok: false, error: format('payer must be an object') };
  const openid = requiredText(payer.openid, 'payer.openid', MAX_OPENID_CHARS);
  if (!openid.ok) return openid;
  return {
    ok: true,
    upload: {
      order_key: key.key,
      logistics_type: logisticsType as LogisticsType,
      delivery_mode: deliveryMode,
      ...(typeof isAllDelivered === 'boolean' ? { is_all_delivered: isAllDelivered } : {}),
      shipping_list: items,
      upload_time: uploadTime,
      uploadTimeMs,
      payer: { openid: openid.value },
    },
  };
}

/** get_order: `{transaction_id}` or `{merchant_id, merchant_trade_no}`, sub_merchant_id optional. */
export type GetOrderKey = { transactionId: string } | { mchId: string; outTradeNo: string };

export function checkGetOrder(body: unknown): { ok: true; key: GetOrderKey } | { ok: false; error: WxApiError } {
  if (!isObject(body)) return { ok: false, error: format('body must be a JSON object') };
  const sub = optionalText(body.sub_merchant_id, 'sub_merchant_id', MAX_ORDER_ID_CHARS);
  if (sub !== undefined) return { ok: false, error: sub };
  if (body.transaction_id !== undefined && body.transaction_id !== null && body.transaction_id !== '') {
    const tx = requiredText(body.transaction_id, 'transaction_id', MAX_ORDER_ID_CHARS);
    return tx.ok ? { ok: true, key: { transactionId: tx.value } } : tx;
  }
  const mchId = requiredText(body.merchant_id, 'merchant_id (or transaction_id)', MAX_ORDER_ID_CHARS);
  if (!mchId.ok) return mchId;
  const outTradeNo = requiredText(body.merchant_trade_no, 'merchant_trade_no', MAX_ORDER_ID_CHARS);
  if (!outTradeNo.ok) return outTradeNo;
  return { ok: true, key: { mchId: mchId.value, outTradeNo: outTradeNo.value } };
}
