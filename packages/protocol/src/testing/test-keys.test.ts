import { constants, privateDecrypt, publicEncrypt, sign, verify } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { officialVectors } from './official-vectors';
import { testKeys, testMerchant, testPlatformPublicKeys } from './test-keys';

describe('testKeys', () => {
  it.each(['merchant', 'platform'] as const)('%s is a matching RSA-2048 pair', (name) => {
    const { privateKey, publicKey } = testKeys[name];
    expect(privateKey.type).toBe('private');
    expect(publicKey.type).toBe('public');
    expect(publicKey.asymmetricKeyType).toBe('rsa');
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const signature = sign('sha256', Buffer.from('x'), privateKey);
    expect(verify('sha256', Buffer.from('x'), publicKey, signature)).toBe(true);
    const ct = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from('y'));
    expect(privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, ct).toString()).toBe('y');
  });

  it('uses two distinct pairs and realistic serials', () => {
    expect(testKeys.merchant.publicKey.equals(testKeys.platform.publicKey)).toBe(false);
    expect(testKeys.merchantSerialNo).toMatch(/^[0-9A-F]{40}$/);
    expect(testKeys.platformPublicKeyId).toMatch(/^PUB_KEY_ID_\d+$/);
    expect(testPlatformPublicKeys.get(testKeys.platformPublicKeyId)?.equals(testKeys.platform.publicKey)).toBe(true);
  });

  it('gives the merchant a 32-byte APIv2 key and APIv3 key', () => {
    expect(Buffer.byteLength(testMerchant.apiKey)).toBe(32);
    expect(Buffer.byteLength(testMerchant.apiV3Key)).toBe(32);
  });
});

describe('officialVectors', () => {
  const shared = new URL('../../../../../shared/vectors/official.json', import.meta.url);

  it.skipIf(!existsSync(shared))('is an exact copy of shared/vectors/official.json', () => {
    expect(officialVectors).toEqual(JSON.parse(readFileSync(shared, 'utf8')));
  });

  it('carries the v2 sign and requestPayment vectors', () => {
    expect(officialVectors.v2Sign.MD5).toMatch(/^[0-9A-F]{32}$/);
    expect(officialVectors.requestPayment['HMAC-SHA256']).toMatch(/^[0-9A-F]{64}$/);
  });
});
