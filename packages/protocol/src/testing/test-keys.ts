import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { devMerchant } from './dev-merchant';

export interface TestKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * RSA-2048 pairs generated for this repository (keys/*.pem), never real keys.
 * `merchant` signs v3 requests; `platform` is the WeChat Pay key pair (signs v3 responses,
 * decrypts OAEP fields). Serials are what the headers carry.
 */
export const testKeys = {
  merchant: {
    privateKey: createPrivateKey(devMerchant.merchantPrivateKeyPem),
    publicKey: createPublicKey(devMerchant.merchantPublicKeyPem),
  } satisfies TestKeyPair,
  platform: {
    privateKey: createPrivateKey(devMerchant.platformPrivateKeyPem),
    publicKey: createPublicKey(devMerchant.platformPublicKeyPem),
  } satisfies TestKeyPair,
  /** `serial_no` of the merchant API certificate in v3 Authorization headers. */
  merchantSerialNo: devMerchant.merchantSerialNo,
  /** `Wechatpay-Serial` of the WeChat Pay public key (`PUB_KEY_ID_…`). */
  platformPublicKeyId: devMerchant.platformPublicKeyId,
};

/** Trusted WeChat Pay keys by serial, as `verifyV3Response` takes them. */
export const testPlatformPublicKeys: ReadonlyMap<string, KeyObject> = new Map([[testKeys.platformPublicKeyId, testKeys.platform.publicKey]]);

/** The test merchant's v2/v3 credentials (the dev merchant's test values). */
export const testMerchant = {
  appId: devMerchant.appId,
  mchId: devMerchant.mchId,
  apiKey: devMerchant.apiKey,
  apiV3Key: devMerchant.apiV3Key,
} as const;
