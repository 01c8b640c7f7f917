export * from './wxpay-call-event';
export * from './wxpay-call-outcome';
export * from './latency-reporter';
export * from './reporting-fetch';
export * from './time-wxpay-call';
export * from './gateway-call-observer';
