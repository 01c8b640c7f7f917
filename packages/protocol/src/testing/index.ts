// Test fixtures for other packages' tests. Node only; every key and secret here is a test value.
export * from './dev-merchant';
export * from './official-vectors';
export * from './test-keys';
export * from './signed-notification';
export * from './signed-v2-response';
export * from './signed-v3-response';
export * from './trade-bill-writer';
export * from './trade-bill-sample-rows';
export * from './trade-bill-fixtures';
