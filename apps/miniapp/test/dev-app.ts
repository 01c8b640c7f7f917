/** The dev merchant's mini-program appId (same as packages/protocol/src/testing/dev-merchant.ts). */
export const DEV_APP_ID = 'wxdev0000000000001';
