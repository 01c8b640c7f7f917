import { useSyncExternalStore } from 'react';
import { taroStore } from '../services/taro-store';
import { createCartStore, type CartState } from './cart-store';

/** The app's one cart, shared by every page. */
export const appCart = createCartStore(taroStore);

export function useCart(): CartState {
  return useSyncExternalStore(appCart.subscribe, appCart.getState, appCart.getState);
}
