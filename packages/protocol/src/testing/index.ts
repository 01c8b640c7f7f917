// Test fixtures for other packages' tests. Node only; every key and secret here is a test value.
export * from './dev-merchant';
export * from './official-vectors';
export * from './test-keys';
export * from './dev-tls';
export * from './signed-notification';
export * from './signed-v2-response';
export * from './signed-v3-response';
export * from './refund-req-info-vectors';
export * from './refund-fixture-defaults';
export * from './encrypted-refund-notification';
export * from './signed-refund-response';
export * from './signed-refund-query-response';
export * from './trade-bill-writer';
export * from './trade-bill-sample-rows';
export * from './trade-bill-fixtures';
