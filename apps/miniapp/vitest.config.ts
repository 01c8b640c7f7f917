import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  test: {
    projects: [
      {
        // Pages and services in jsdom; Taro and its components replaced by test doubles, the
        // network real (a real BFF + emulator from global-stack, or a scripted server).
        esbuild: { jsx: 'automatic' },
        resolve: {
          alias: {
            '@tarojs/taro': path.join(here, 'test/doubles/taro.ts'),
            '@tarojs/components': path.join(here, 'test/doubles/components.tsx'),
          },
        },
        test: {
          name: 'unit',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
          globalSetup: ['test/global-stack.ts'],
          setupFiles: ['test/setup-unit.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Node-side build and dev tooling (static server + proxy, size measurement).
        test: { name: 'scripts', environment: 'node', include: ['scripts/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        // The real compiled weapp output (dist/weapp) in miniprogram-simulate.
        test: { name: 'simulate', environment: 'jsdom', include: ['test/simulate/**/*.test.ts'], globalSetup: ['test/global-stack.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
      },
      {
        // The real H5 build (dist/h5) in headless Chromium.
        test: { name: 'e2e', environment: 'node', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/global-stack.ts'], testTimeout: 120_000, hookTimeout: 60_000, sequence: { concurrent: false } },
      },
    ],
  },
});
