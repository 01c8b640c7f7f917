// Dev-only entry (`@checkout/bff/testing`): the in-process emulator + BFF stack other packages' tests share.
export { startTestStack } from './test-stack';
export type { SentRequest, TestStack } from './test-stack';
