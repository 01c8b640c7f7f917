import type { Order, Product, RequestPaymentParams } from '@checkout/protocol/contract';

export const fridge: Product = {
  id: 'fridge-1',
  name: '一级能效冰箱',
  description: '风冷无霜 510 升',
  priceFen: 399900,
  imageUrl: null,
  appliance: { applianceId: 1, brand: '示例', energyGrade: 'FIRST_LEVEL' },
};

export const kettle: Product = {
  id: 'kettle-1',
  name: '电水壶',
  description: '1.5 升',
  priceFen: 12900,
  imageUrl: null,
  appliance: null,
};

export function pendingOrder(overrides: Partial<Order> = {}): Order {
  return {
    id: 'ord_1',
    outTradeNo: 'CK20261125000001',
    status: 'pending',
    items: [{ productId: kettle.id, name: kettle.name, quantity: 2, unitPriceFen: kettle.priceFen, subsidyDiscountFen: 0 }],
    totalFen: 25800,
    subsidyDiscountFen: 0,
    payableFen: 25800,
    cancelRequested: false,
    createdAt: '2026-11-25T08:00:00.000Z',
    expiresAt: '2026-11-25T08:30:00.000Z',
    paidAt: null,
    closedAt: null,
    refunds: [],
    refundedFen: 0,
    ...overrides,
  };
}

export const paymentParams: RequestPaymentParams = {
  timeStamp: '1764057600',
  nonceStr: 'n0nce',
  package: 'prepay_id=wx2026112500000001',
  signType: 'HMAC-SHA256',
  paySign: 'A'.repeat(64),
};

export const session = (token = 'tok-1') => ({ status: 200, body: { token, expiresAt: '2099-01-01T00:00:00.000Z' } });
