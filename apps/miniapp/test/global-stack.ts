// vitest globalSetup for the jsdom page tests: one real emulator + BFF in the main process.
import type { TestProject } from 'vitest/node';
import { startTestStack } from '@checkout/bff/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    bffUrl: string;
    emulatorUrl: string;
  }
}

export async function setup(project: TestProject) {
  const stack = await startTestStack({
    WXPAY_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'warn',
    // The H5 tests reach the BFF through the static server's proxy, all from one host.
    RATE_LIMIT_MAX: '100000',
    LOGIN_RATE_LIMIT_MAX: '100000',
  });
  project.provide('bffUrl', stack.bff.url);
  project.provide('emulatorUrl', stack.emulatorServer.url);
  return () => stack.close();
}
