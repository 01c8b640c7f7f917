import { describe, expect, it } from 'vitest';
import { fridge, kettle } from '../../test/fixtures';
import type { KeyValueStore } from '../services/key-value-store';
import { cartCount, cartHasAppliance, cartTotalFen, createCartStore, MAX_QUANTITY } from './cart-store';

const memoryStore = (): KeyValueStore & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return { map, get: (key) => map.get(key) ?? null, set: (key, value) => void map.set(key, value), remove: (key) => void map.delete(key) };
};

describe('cart store', () => {
  it('adds, increments, totals in fen and flags appliances', () => {
    const cart = createCartStore(memoryStore());
    cart.add(kettle);
    cart.add(kettle);
    cart.add(fridge);
    const { lines } = cart.getState();
    expect(lines.map((line) => [line.product.id, line.quantity])).toEqual([['kettle-1', 2], ['fridge-1', 1]]);
    expect(cartTotalFen(lines)).toBe(2 * 12900 + 399900);
    expect(cartCount(lines)).toBe(3);
    expect(cartHasAppliance(lines)).toBe(true);
  });

  it('clamps quantities to the contract maximum and drops lines at zero', () => {
    const cart = createCartStore(memoryStore());
    cart.add(kettle);
    cart.setQuantity(kettle.id, 500);
    expect(cart.getState().lines[0]?.quantity).toBe(MAX_QUANTITY);
    cart.setQuantity(kettle.id, 0);
    expect(cart.getState().lines).toEqual([]);
  });

  it('persists across restarts and ignores a corrupted stored cart', () => {
    const store = memoryStore();
    const first = createCartStore(store);
    first.add(fridge);
    expect(createCartStore(store).getState().lines[0]?.product).toEqual(fridge);
    store.map.set('checkout.cart', '{"lines":[{"product":{"id":1},"quantity":-3}]}');
    expect(createCartStore(store).getState().lines).toEqual([]);
    store.map.set('checkout.cart', 'not json');
    expect(createCartStore(store).getState().lines).toEqual([]);
  });

  it('notifies subscribers until they unsubscribe', () => {
    const cart = createCartStore(memoryStore());
    let calls = 0;
    const unsubscribe = cart.subscribe(() => calls++);
    cart.add(kettle);
    unsubscribe();
    cart.clear();
    expect(calls).toBe(1);
  });
});
