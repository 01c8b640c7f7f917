// vitest globalSetup for the jsdom page tests: one real emulator + BFF in the main process.
import type { TestProject } from 'vitest/node';
import { startTestStack } from './stack';

declare module 'vitest' {
  export interface ProvidedContext {
    bffUrl: string;
    emulatorUrl: string;
  }
}

export async function setup(project: TestProject) {
  const stack = await startTestStack();
  project.provide('bffUrl', stack.bff.url);
  project.provide('emulatorUrl', stack.emulatorServer.url);
  return () => stack.close();
}
