import { WxPayValidationError } from './errors';

/**
 * `detail` of unifiedorder (单品优惠参数说明): `{"cost_price"?, "receipt_id"?, "goods_detail": [...]}`.
 * Amounts are integer fen. Text limits are counted in UTF-8 bytes, the stricter reading of
 * String(n) (names are usually Chinese).
 */
export interface GoodsDetail {
  /** 订单原价: the whole receipt, when one receipt is paid in several orders. */
  costPrice?: number;
  /** 商品小票ID, String(32). */
  receiptId?: string;
  goods: GoodsDetailLine[];
}

export interface GoodsDetailLine {
  /** 商品编码, String(32), the merchant's own id. */
  goodsId: string;
  /** 微信侧商品编码, String(32). */
  wxpayGoodsId?: string;
  /** 商品名称, String(256). */
  goodsName?: string;
  /** ≥ 1. */
  quantity: number;
  /** 商品单价 in fen, after the merchant's own discounts; ≥ 1. */
  price: number;
  /** 商品类目, String(32) (in the field table's example). */
  goodsCategory?: string;
  /** 商品描述, String(1000) (in the field table's example). */
  body?: string;
}

/** detail is String(6000). */
export const DETAIL_MAX_BYTES = 6000;

const TOP_MEMBERS: Readonly<Record<string, 'int' | number>> = { cost_price: 'int', receipt_id: 32 };
const LINE_MEMBERS: Readonly<Record<string, 'int' | number>> = {
  goods_id: 32,
  wxpay_goods_id: 32,
  goods_name: 256,
  quantity: 'int',
  price: 'int',
  goods_category: 32,
  body: 1000,
};
const LINE_REQUIRED = ['goods_id', 'quantity', 'price'] as const;

function invalid(message: string): WxPayValidationError {
  return new WxPayValidationError('FIELD_INVALID', 'detail', `detail ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkMembers(object: Record<string, unknown>, rules: Readonly<Record<string, 'int' | number>>, where: string): void {
  for (const [name, value] of Object.entries(object)) {
    const rule = rules[name];
    if (rule === undefined) throw invalid(`${where}.${name} is not a documented member`);
    if (rule === 'int') {
      // quantity, price and cost_price are counts and fen: positive integers.
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw invalid(`${where}.${name} must be an integer ≥ 1`);
    } else if (typeof value !== 'string' || value === '') {
      throw invalid(`${where}.${name} must be a non-empty string`);
    } else if (Buffer.byteLength(value, 'utf8') > rule) {
      throw invalid(`${where}.${name} is longer than ${rule} bytes of UTF-8`);
    }
  }
}

/** Checks the wire form (snake_case members) and returns it unchanged. */
function checkDetailObject(parsed: unknown): void {
  // The table's example wraps the object in [ ]; the XML example and the 单品优惠 document send the
  // bare object, which is the only form taken here.
  if (!isRecord(parsed)) throw invalid('must be a JSON object {"goods_detail": [...]}');
  const { goods_detail: lines, ...top } = parsed;
  checkMembers(top, TOP_MEMBERS, 'detail');
  if (!Array.isArray(lines) || lines.length === 0) throw invalid('goods_detail must be a non-empty array');
  lines.forEach((line: unknown, index) => {
    const where = `goods_detail[${index}]`;
    if (!isRecord(line)) throw invalid(`${where} must be an object`);
    for (const name of LINE_REQUIRED) if (!(name in line)) throw invalid(`${where}.${name} is missing`);
    checkMembers(line, LINE_MEMBERS, where);
  });
}

/** A `detail` given as JSON text: valid JSON with only the documented members, ≤ 6000 bytes. */
export function requireGoodsDetailJson(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw invalid('must be a non-empty JSON string');
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > DETAIL_MAX_BYTES) throw invalid(`is ${bytes} bytes of UTF-8; at most ${DETAIL_MAX_BYTES} allowed`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalid('is not JSON');
  }
  checkDetailObject(parsed);
  return value;
}

/** Serializes a typed `detail` (members in the documented order, absent ones left out) and checks it. */
export function serializeGoodsDetail(detail: GoodsDetail): string {
  const wire = {
    cost_price: detail.costPrice,
    receipt_id: detail.receiptId,
    goods_detail: detail.goods.map((line) => ({
      goods_id: line.goodsId,
      wxpay_goods_id: line.wxpayGoodsId,
      goods_name: line.goodsName,
      quantity: line.quantity,
      price: line.price,
      goods_category: line.goodsCategory,
      body: line.body,
    })),
  };
  return requireGoodsDetailJson(JSON.stringify(wire));
}
