import { describe, expect, it } from 'vitest';
import type { OrderItemRecord } from '../orders/order-record';
import { goodsDetailOf } from './goods-detail';

const item = (patch: Partial<OrderItemRecord>): OrderItemRecord => ({
  lineNo: 1,
  productId: 'fridge',
  name: '冰箱',
  quantity: 1,
  unitPriceFen: 100_000,
  subsidyDiscountFen: 0,
  applianceId: null,
  brand: null,
  energyGrade: null,
  ...patch,
});

type Line = { goods_id: string; quantity: number; price: number; goods_name?: string };
const lines = (items: OrderItemRecord[]): Line[] => (JSON.parse(goodsDetailOf(items) ?? 'null') as { goods_detail: Line[] }).goods_detail;
const paid = (ls: Line[]): number => ls.reduce((sum, l) => sum + l.quantity * l.price, 0);

describe('goodsDetailOf', () => {
  it('gives the unit price after the subsidy when it divides evenly', () => {
    expect(lines([item({ quantity: 2, subsidyDiscountFen: 40_000 })])).toEqual([{ goods_id: 'fridge', goods_name: '冰箱', quantity: 2, price: 80_000 }]);
  });

  it('splits a line whose discount does not divide by its quantity, so the lines add up to the fen', () => {
    const result = lines([item({ quantity: 3, unitPriceFen: 1_000, subsidyDiscountFen: 100 })]);
    expect(result).toEqual([
      { goods_id: 'fridge', goods_name: '冰箱', quantity: 2, price: 967 },
      { goods_id: 'fridge', goods_name: '冰箱', quantity: 1, price: 966 },
    ]);
    expect(paid(result)).toBe(2_900);
  });

  it('leaves out a name over 256 bytes instead of cutting it', () => {
    expect(lines([item({ name: '长'.repeat(86) })])[0]).toEqual({ goods_id: 'fridge', quantity: 1, price: 100_000 });
  });

  it('is null when the lines cannot be described (product id over 32 bytes, a free line, over 6000 bytes)', () => {
    expect(goodsDetailOf([item({ productId: 'p'.repeat(33) })])).toBeNull();
    expect(goodsDetailOf([item({ subsidyDiscountFen: 100_000 })])).toBeNull();
    expect(goodsDetailOf(Array.from({ length: 40 }, (_, i) => item({ productId: `p${i}`, name: '长'.repeat(80) })))).toBeNull();
  });
});
