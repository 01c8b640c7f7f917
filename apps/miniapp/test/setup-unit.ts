import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { taroDouble } from './doubles/taro';

// Pages wait on a real BFF; on a loaded CI machine that can take more than the 1 s default.
configure({ asyncUtilTimeout: 10_000 });

beforeEach(() => {
  taroDouble.reset();
});

afterEach(() => {
  cleanup();
  vi.unstubAllEnvs();
});
