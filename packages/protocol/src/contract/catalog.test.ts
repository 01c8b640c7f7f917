import { describe, expect, it } from 'vitest';
import { productListResponseSchema, productSchema } from './catalog';

const fridge = {
  id: 'fridge-01',
  name: '海尔 冰箱 BCD-470',
  description: '一级能效',
  priceFen: 399_900,
  imageUrl: null,
  appliance: { applianceId: 2, brand: '海尔', energyGrade: 'FIRST_LEVEL' },
};
const cable = { id: 'cable-01', name: 'USB-C 线', description: '', priceFen: 1900, imageUrl: '/img/cable.png', appliance: null };

describe('productSchema', () => {
  it('accepts a subsidy-eligible appliance and a plain product', () => {
    expect(productListResponseSchema.parse({ products: [fridge, cable] })).toEqual({ products: [fridge, cable] });
    expect(productListResponseSchema.safeParse({ products: [] }).success).toBe(true);
  });

  it.each([
    ['a price in yuan with decimals', { ...fridge, priceFen: 3999.0001 }],
    ['a price as string', { ...fridge, priceFen: '399900' }],
    ['a negative price', { ...fridge, priceFen: -1 }],
    ['an empty id', { ...fridge, id: '' }],
    ['an empty name', { ...fridge, name: '' }],
    ['a missing appliance (must be null when absent)', { ...cable, appliance: undefined }],
    ['appliance_id 0', { ...fridge, appliance: { ...fridge.appliance, applianceId: 0 } }],
    ['appliance_id 18', { ...fridge, appliance: { ...fridge.appliance, applianceId: 18 } }],
    ['a fractional appliance_id', { ...fridge, appliance: { ...fridge.appliance, applianceId: 1.5 } }],
    ['an unknown energy grade', { ...fridge, appliance: { ...fridge.appliance, energyGrade: 'THIRD_LEVEL' } }],
    ['an empty brand', { ...fridge, appliance: { ...fridge.appliance, brand: '' } }],
  ])('refuses %s', (_name, product) => {
    expect(productSchema.safeParse(product).success).toBe(false);
  });

  it('refuses a list that is not under products', () => {
    expect(productListResponseSchema.safeParse([fridge]).success).toBe(false);
  });
});
