import { readFileSync } from 'node:fs';
import { devMerchant } from './dev-merchant';

const keyFile = (name: string): Buffer => readFileSync(new URL(`./keys/${name}`, import.meta.url));
const pemFile = (name: string): string => keyFile(name).toString('utf8');

/**
 * Test-only TLS material (keys/*.pem, keys/apiclient_cert.p12), valid 100 years, all issued by one
 * dev CA: the emulator's HTTPS server certificate (localhost, 127.0.0.1) and the merchants' API
 * client certificates for `/secapi/*` mutual TLS. Public on purpose: never trust the dev CA
 * outside development and tests.
 */
export const devTls = {
  /** The dev CA that issued every certificate below: clients trust it to reach the emulator. */
  caCertPem: pemFile('emulator-ca-cert.pem'),
  /** The emulator's HTTPS certificate: CN=localhost, SAN DNS:localhost + IP:127.0.0.1. */
  serverCertPem: pemFile('emulator-server-cert.pem'),
  serverKeyPem: pemFile('emulator-server-key.pem'),
  /** The dev merchant's API client certificate (O=Tenpay.com, OU=Tenpay.com CA Center, CN=mch_id). */
  merchantCertPem: pemFile('apiclient_cert.pem'),
  merchantKeyPem: pemFile('apiclient_key.pem'),
  /** The same certificate and key as PKCS#12 (AES-256-CBC, SHA-256 MAC: loads under OpenSSL 3). */
  merchantP12: keyFile('apiclient_cert.p12'),
  /** WeChat's convention: the .p12 password is the mch_id. */
  merchantP12Passphrase: devMerchant.mchId,
  /** A client certificate of another merchant (CN=1900000999): the emulator must refuse it for the dev merchant. */
  otherMerchantCertPem: pemFile('other-merchant-cert.pem'),
  otherMerchantKeyPem: pemFile('other-merchant-key.pem'),
};
