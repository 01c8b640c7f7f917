import { readFileSync } from 'node:fs';

const keyFile = (name: string): string => readFileSync(new URL(`./keys/${name}.pem`, import.meta.url), 'utf8');

/**
 * The development merchant shared by the emulator's default config, the BFF's default config
 * and tests. Every secret here is a test value generated for this repository; the BFF refuses
 * to use it against the real WeChat Pay host.
 */
export const devMerchant = {
  appId: 'wxdev0000000000001',
  /** Mini-program AppSecret for jscode2session. */
  appSecret: 'devsecret00000000000000000000001',
  mchId: '1900000109',
  apiKey: 'devapikey0000000000000000000001x',
  apiV3Key: 'devapiv3key000000000000000000001',
  merchantName: '示例电器旗舰店',
  /** Merchant API certificate serial (v3 requests' serial_no). */
  merchantSerialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
  merchantPrivateKeyPem: keyFile('merchant-private'),
  merchantPublicKeyPem: keyFile('merchant-public'),
  /** WeChat Pay public key id (Wechatpay-Serial for OAEP fields and response signatures). */
  platformPublicKeyId: 'PUB_KEY_ID_0119000001092025010100000000000001',
  platformPrivateKeyPem: keyFile('platform-private'),
  platformPublicKeyPem: keyFile('platform-public'),
} as const;

export type DevMerchant = typeof devMerchant;
