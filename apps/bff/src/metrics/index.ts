export * from './bff-metrics';
export * from './render-metrics';
export * from './observe-http-request';
