import { describe, expect, it } from 'vitest';
import { UNIFIED_ORDER_BODY_MAX_BYTES } from '@checkout/protocol/wxpay';
import { orderBody } from './order-body';

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

describe('orderBody (unifiedorder body)', () => {
  it('names the shop and the first item, and counts the rest', () => {
    const one = (name: string, quantity = 1) => ({ name, quantity });
    expect(orderBody('小店', [one('空调')])).toBe('小店-空调');
    expect(orderBody('小店', [one('空调'), one('冰箱'), one('洗衣机')])).toBe('小店-空调等3件');
    // Units, not lines: two kettles and a filter are three items.
    expect(orderBody('小店', [one('电热水壶', 2), one('滤芯')])).toBe('小店-电热水壶等3件');
    expect(orderBody('小店', [one('电热水壶', 3)])).toBe('小店-电热水壶×3');
  });

  it('stays within 127 UTF-8 bytes for long Chinese names, keeping the item count', () => {
    const body = orderBody('小店', [{ name: '超'.repeat(80), quantity: 1 }, { name: '冰箱', quantity: 1 }]);
    expect(bytes(body)).toBeLessThanOrEqual(UNIFIED_ORDER_BODY_MAX_BYTES);
    expect(body.endsWith('等2件')).toBe(true);
    expect(body.startsWith('小店-超超')).toBe(true);
  });

  it('never splits a 4-byte character', () => {
    const body = orderBody('shop', [{ name: '😀'.repeat(60), quantity: 1 }]);
    expect(bytes(body)).toBeLessThanOrEqual(UNIFIED_ORDER_BODY_MAX_BYTES);
    expect(body).toBe(`shop-${'😀'.repeat(30)}`);
    expect(body).not.toContain('\uFFFD');
  });
});
