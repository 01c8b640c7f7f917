/**
 * The one production-source path to the repository's test credentials: the development defaults
 * of env.ts (the emulator's dev merchant). assertSafeConfig refuses every one of them against the
 * real WeChat Pay hosts; lint keeps `@checkout/protocol/testing` out of the rest of `src/`.
 */
export { devMerchant as devMerchantDefaults, devTls as devTlsDefaults } from '@checkout/protocol/testing';
