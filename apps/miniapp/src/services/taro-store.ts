import Taro from '@tarojs/taro';
import type { KeyValueStore } from './key-value-store';

export const taroStore: KeyValueStore = {
  get(key) {
    try {
      const value: unknown = Taro.getStorageSync(key);
      return typeof value === 'string' && value !== '' ? value : null;
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      Taro.setStorageSync(key, value);
    } catch {
      // Storage full or unavailable: the app still works, it just forgets on restart.
    }
  },
  remove(key) {
    try {
      Taro.removeStorageSync(key);
    } catch {
      // Nothing to forget.
    }
  },
};
