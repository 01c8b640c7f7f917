export * from './contract-client';
export * from './free-port';
export * from './managed-process';
export * from './process-registry';
export * from './suite-summary';
export * from './test-size';
