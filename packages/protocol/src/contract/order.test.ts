import { describe, expect, it } from 'vitest';
import {
  createOrderRequestSchema,
  orderListQuerySchema,
  orderListResponseSchema,
  orderPaymentResponseSchema,
  orderResponseSchema,
  orderSchema,
  requestPaymentParamsSchema,
  type Order,
  type RequestPaymentParams,
} from './order';

const buyer = {
  realName: '张三',
  identityDocumentType: 'ID_DOC_TYPE_ID_CARD',
  idCardNumber: '11010519491231002X',
  phoneNumber: '13800138000',
  receiveRegionCode: '110101',
  qualificationRegionCode: 310100,
} as const;

describe('createOrderRequestSchema', () => {
  it('accepts items with and without subsidy buyer info', () => {
    const body = { items: [{ productId: 'fridge-01', quantity: 1 }, { productId: 'cable-01', quantity: 99 }] };
    expect(createOrderRequestSchema.parse(body)).toEqual(body);
    expect(createOrderRequestSchema.parse({ ...body, subsidy: buyer }).subsidy?.idCardNumber).toBe('11010519491231002X');
  });

  it('never carries a price from the client', () => {
    const parsed = createOrderRequestSchema.parse({ items: [{ productId: 'p', quantity: 1, priceFen: 1 }], totalFen: 1 });
    expect(parsed).toEqual({ items: [{ productId: 'p', quantity: 1 }] });
  });

  it.each([
    ['no items', { items: [] }],
    ['missing items', {}],
    ['21 lines', { items: Array.from({ length: 21 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) }],
    ['quantity 0', { items: [{ productId: 'p', quantity: 0 }] }],
    ['quantity 100', { items: [{ productId: 'p', quantity: 100 }] }],
    ['a fractional quantity', { items: [{ productId: 'p', quantity: 1.5 }] }],
    ['a quantity as string', { items: [{ productId: 'p', quantity: '1' }] }],
    ['an empty productId', { items: [{ productId: '', quantity: 1 }] }],
    ['a productId over 64 chars', { items: [{ productId: 'p'.repeat(65), quantity: 1 }] }],
    ['invalid subsidy info', { items: [{ productId: 'p', quantity: 1 }], subsidy: { ...buyer, phoneNumber: '123' } }],
    ['subsidy null', { items: [{ productId: 'p', quantity: 1 }], subsidy: null }],
  ])('refuses %s', (_name, body) => {
    expect(createOrderRequestSchema.safeParse(body).success).toBe(false);
  });
});

const order: Order = {
  id: 'ord_01',
  outTradeNo: 'T20251125161500000001',
  status: 'pending',
  items: [{ productId: 'fridge-01', name: '冰箱', quantity: 1, unitPriceFen: 399_900, subsidyDiscountFen: 59_985 }],
  totalFen: 399_900,
  subsidyDiscountFen: 59_985,
  payableFen: 339_915,
  cancelRequested: false,
  refunds: [],
  refundedFen: 0,
  createdAt: '2025-11-25T08:00:00.000Z',
  expiresAt: '2025-11-25T08:30:00.000Z',
  paidAt: null,
  closedAt: null,
};

const payment: RequestPaymentParams = {
  timeStamp: '1490840662',
  nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
  package: 'prepay_id=wx2017033010242291fcfe0db70013231072',
  signType: 'MD5',
  paySign: '22D9B4E54AB1950F51E0649E8810ACD6',
};

describe('orderSchema', () => {
  it.each(['pending', 'paid', 'closed', 'failed', 'refunded'] as const)('accepts status %s', (status) => {
    expect(orderSchema.safeParse({ ...order, status }).success).toBe(true);
  });

  it('accepts a paid order with timestamps', () => {
    expect(orderResponseSchema.parse({ order: { ...order, status: 'paid', paidAt: '2025-11-25T08:01:00Z' } }).order.paidAt).toBe('2025-11-25T08:01:00Z');
  });

  it.each([
    ['an unknown status', { status: 'PAID' }],
    ['a float amount', { payableFen: 3399.15 }],
    ['a negative discount', { subsidyDiscountFen: -1 }],
    ['a missing paidAt (must be null)', { paidAt: undefined }],
    ['a non-ISO createdAt', { createdAt: '2025/11/25 08:00' }],
    ['a Date-less expiresAt', { expiresAt: 1764057600000 }],
    ['cancelRequested as string', { cancelRequested: 'false' }],
    ['an item with quantity 0', { items: [{ ...order.items[0], quantity: 0 }] }],
  ])('refuses %s', (_name, change) => {
    expect(orderSchema.safeParse({ ...order, ...change }).success).toBe(false);
  });
});

describe('requestPaymentParamsSchema', () => {
  it('accepts the official requestPayment example (MD5) and an HMAC-SHA256 sign', () => {
    expect(requestPaymentParamsSchema.parse(payment)).toEqual(payment);
    const hmac = { ...payment, signType: 'HMAC-SHA256', paySign: 'FB9D1EFB5C509131BBFF729F88A99CA2DE9B724D06D3B3262832A53083862BC0' };
    expect(requestPaymentParamsSchema.safeParse(hmac).success).toBe(true);
    expect(orderPaymentResponseSchema.safeParse({ order, payment }).success).toBe(true);
  });

  it.each([
    ['a millisecond timeStamp', { timeStamp: '1490840662000' }],
    ['a numeric timeStamp', { timeStamp: 1490840662 }],
    ['a nonceStr over 32 chars', { nonceStr: 'n'.repeat(33) }],
    ['an empty nonceStr', { nonceStr: '' }],
    ['a bare prepay id', { package: 'wx2017033010242291fcfe0db70013231072' }],
    ['an empty prepay id', { package: 'prepay_id=' }],
    ['lower-case md5 signType', { signType: 'md5' }],
    ['a lower-case paySign', { paySign: '22d9b4e54ab1950f51e0649e8810acd6' }],
    ['a paySign of the wrong size', { paySign: '22D9B4E54AB1950F51E0649E8810ACD' }],
    ['an HMAC-length paySign under MD5', { paySign: 'FB9D1EFB5C509131BBFF729F88A99CA2DE9B724D06D3B3262832A53083862BC0' }],
    ['an MD5-length paySign under HMAC-SHA256', { signType: 'HMAC-SHA256' }],
  ])('refuses %s', (_name, change) => {
    expect(requestPaymentParamsSchema.safeParse({ ...payment, ...change }).success).toBe(false);
  });

  it('reports a signType/paySign mismatch on paySign', () => {
    const result = requestPaymentParamsSchema.safeParse({ ...payment, signType: 'HMAC-SHA256' });
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['paySign']);
  });

  it('refuses a payment response without payment params', () => {
    expect(orderPaymentResponseSchema.safeParse({ order }).success).toBe(false);
  });
});

describe('orderListQuerySchema', () => {
  it('defaults the limit and coerces query-string numbers', () => {
    expect(orderListQuerySchema.parse({})).toEqual({ limit: 20 });
    expect(orderListQuerySchema.parse({ limit: '5', cursor: 'abc' })).toEqual({ limit: 5, cursor: 'abc' });
  });

  it.each([
    ['limit 0', { limit: '0' }],
    ['limit 51', { limit: '51' }],
    ['an empty limit', { limit: '' }],
    ['a word', { limit: 'ten' }],
    ['a fraction', { limit: '2.5' }],
    ['a repeated limit', { limit: ['1', '2'] }],
    ['a cursor over 200 chars', { cursor: 'c'.repeat(201) }],
  ])('refuses %s', (_name, query) => {
    expect(orderListQuerySchema.safeParse(query).success).toBe(false);
  });
});

describe('orderListResponseSchema', () => {
  it('accepts a page with and without a next cursor', () => {
    expect(orderListResponseSchema.safeParse({ orders: [order], nextCursor: 'c1' }).success).toBe(true);
    expect(orderListResponseSchema.safeParse({ orders: [], nextCursor: null }).success).toBe(true);
  });

  it('refuses a missing nextCursor and a non-list', () => {
    expect(orderListResponseSchema.safeParse({ orders: [] }).success).toBe(false);
    expect(orderListResponseSchema.safeParse({ orders: order, nextCursor: null }).success).toBe(false);
  });
});
