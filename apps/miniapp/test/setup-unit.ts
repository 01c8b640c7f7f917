import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { taroDouble } from './doubles/taro';

beforeEach(() => {
  taroDouble.reset();
});

afterEach(() => {
  cleanup();
  vi.unstubAllEnvs();
});
