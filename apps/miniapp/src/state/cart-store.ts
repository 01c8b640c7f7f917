import { productSchema, type Product } from '@checkout/protocol/contract';
import { z } from 'zod/mini';
import type { KeyValueStore } from '../services/key-value-store';

export const MAX_QUANTITY = 99;
export const MAX_LINES = 20;

export interface CartLine {
  product: Product;
  quantity: number;
}

export interface CartState {
  lines: readonly CartLine[];
}

const STORAGE_KEY = 'checkout.cart';
const storedCartSchema = z.object({
  lines: z.array(z.object({ product: productSchema, quantity: z.number().check(z.int(), z.gte(1), z.lte(MAX_QUANTITY)) })).check(z.maxLength(MAX_LINES)),
});

export interface CartStore {
  getState: () => CartState;
  subscribe: (listener: () => void) => () => void;
  add: (product: Product) => void;
  setQuantity: (productId: string, quantity: number) => void;
  remove: (productId: string) => void;
  clear: () => void;
}

/** The cart lives across pages and restarts (persisted); prices shown are re-checked by the BFF. */
export function createCartStore(store: KeyValueStore): CartStore {
  let state: CartState = load(store);
  const listeners = new Set<() => void>();
  const commit = (lines: readonly CartLine[]) => {
    state = { lines };
    store.set(STORAGE_KEY, JSON.stringify(state));
    listeners.forEach((listener) => listener());
  };
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    add(product) {
      const existing = state.lines.find((line) => line.product.id === product.id);
      if (existing) {
        commit(state.lines.map((line) => (line === existing ? { product, quantity: Math.min(MAX_QUANTITY, line.quantity + 1) } : line)));
      } else if (state.lines.length < MAX_LINES) {
        commit([...state.lines, { product, quantity: 1 }]);
      }
    },
    setQuantity(productId, quantity) {
      if (quantity < 1) {
        commit(state.lines.filter((line) => line.product.id !== productId));
        return;
      }
      const clamped = Math.min(MAX_QUANTITY, Math.floor(quantity));
      commit(state.lines.map((line) => (line.product.id === productId ? { ...line, quantity: clamped } : line)));
    },
    remove(productId) {
      commit(state.lines.filter((line) => line.product.id !== productId));
    },
    clear() {
      commit([]);
    },
  };
}

export function cartTotalFen(lines: readonly CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.product.priceFen * line.quantity, 0);
}

export function cartCount(lines: readonly CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0);
}

export function cartHasAppliance(lines: readonly CartLine[]): boolean {
  return lines.some((line) => line.product.appliance !== null);
}

function load(store: KeyValueStore): CartState {
  const raw = store.get(STORAGE_KEY);
  if (!raw) return { lines: [] };
  try {
    const parsed = storedCartSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : { lines: [] };
  } catch {
    return { lines: [] };
  }
}
