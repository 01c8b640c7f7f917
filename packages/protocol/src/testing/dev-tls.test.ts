import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { devMerchant } from './dev-merchant';
import { devTls } from './dev-tls';

const ca = new X509Certificate(devTls.caCertPem);
const oneYearMs = 365 * 24 * 3600 * 1000;

describe('devTls', () => {
  it('has a CA that issued the server and both client certificates', () => {
    expect(ca.ca).toBe(true);
    for (const pem of [devTls.serverCertPem, devTls.merchantCertPem, devTls.otherMerchantCertPem]) {
      const cert = new X509Certificate(pem);
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.ca).toBe(false);
      // Generated for 100 years: far beyond any test run.
      expect(Date.parse(cert.validTo) - Date.parse(cert.validFrom)).toBeGreaterThan(99 * oneYearMs);
    }
  });

  it('serves localhost and 127.0.0.1', () => {
    const server = new X509Certificate(devTls.serverCertPem);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkPrivateKey(createPrivateKey(devTls.serverKeyPem))).toBe(true);
  });

  it('gives the merchants WeChat-shaped client certificates with matching RSA-2048 keys', () => {
    const merchant = new X509Certificate(devTls.merchantCertPem);
    expect(merchant.subject).toContain('O=Tenpay.com');
    expect(merchant.subject).toContain('OU=Tenpay.com CA Center');
    expect(merchant.subject).toContain(`CN=${devMerchant.mchId}`);
    expect(merchant.checkPrivateKey(createPrivateKey(devTls.merchantKeyPem))).toBe(true);
    expect(merchant.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const other = new X509Certificate(devTls.otherMerchantCertPem);
    expect(other.subject).toContain('CN=1900000999');
    expect(other.checkPrivateKey(createPrivateKey(devTls.otherMerchantKeyPem))).toBe(true);
    expect(other.fingerprint256).not.toBe(merchant.fingerprint256);
  });

  it('ships a .p12 that OpenSSL 3 loads with the mch_id as password', () => {
    expect(devTls.merchantP12Passphrase).toBe(devMerchant.mchId);
    expect(() => createSecureContext({ pfx: devTls.merchantP12, passphrase: devTls.merchantP12Passphrase })).not.toThrow();
    expect(() => createSecureContext({ pfx: devTls.merchantP12, passphrase: 'wrong' })).toThrow();
  });
});
