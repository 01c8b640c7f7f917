import { readFileSync } from 'node:fs';
import { createSecureContext, TLSSocket } from 'node:tls';

/** The merchant API certificate for `/secapi/*` mutual TLS: a PEM pair or the portal's .p12. */
export type MerchantCertificateSource =
  | { kind: 'pem'; certPath: string; keyPath: string }
  | { kind: 'p12'; path: string; passphrase: string }
  | { kind: 'inline'; certPem: string; keyPem: string };

/** What node:https needs for the client side of mutual TLS. Holds the private key: never log it. */
export type MerchantTlsCredentials = { cert: string; key: string } | { pfx: Buffer; passphrase: string };

export interface MerchantCertificate {
  credentials: MerchantTlsCredentials;
  /** The certificate's notAfter. */
  validTo: Date;
}

export class MerchantCertificateError extends Error {
  override name = 'MerchantCertificateError';
}

/**
 * Loads and checks the certificate once, at startup: unreadable files, a wrong .p12 password, a
 * key that does not belong to the certificate, or an expired certificate stop the BFF with a
 * message naming the variables, never the content.
 */
export function loadMerchantCertificate(source: MerchantCertificateSource, now: Date): MerchantCertificate {
  const credentials = readCredentials(source);
  let context;
  try {
    context = createSecureContext(credentials);
  } catch (error) {
    const reason = error instanceof Error && /mac verify|password|decrypt/i.test(error.message) ? 'wrong password or not a PKCS#12 file' : 'the key does not match the certificate, or a file is not a certificate/key';
    throw new MerchantCertificateError(`${describe(source)}: ${reason}`);
  }
  // A socket never connected: the way to read back the certificate OpenSSL loaded (p12 included).
  const socket = new TLSSocket(null as never, { secureContext: context });
  try {
    const certificate = socket.getCertificate();
    const validTo = certificate && 'valid_to' in certificate ? new Date(certificate.valid_to) : null;
    if (!validTo || Number.isNaN(validTo.getTime())) throw new MerchantCertificateError(`${describe(source)}: no certificate found`);
    if (validTo.getTime() <= now.getTime()) throw new MerchantCertificateError(`${describe(source)}: the certificate expired on ${validTo.toISOString()}`);
    return { credentials, validTo };
  } finally {
    socket.destroy();
  }
}

function readCredentials(source: MerchantCertificateSource): MerchantTlsCredentials {
  switch (source.kind) {
    case 'inline':
      return { cert: source.certPem, key: source.keyPem };
    case 'pem':
      return { cert: readText('WXPAY_API_CLIENT_CERT_PATH', source.certPath), key: readText('WXPAY_API_CLIENT_KEY_PATH', source.keyPath) };
    case 'p12':
      return { pfx: readBytes('WXPAY_API_CLIENT_P12_PATH', source.path), passphrase: source.passphrase };
  }
}

function readBytes(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new MerchantCertificateError(`${variable}: file cannot be read`);
  }
}

function readText(variable: string, path: string): string {
  return readBytes(variable, path).toString('utf8');
}

function describe(source: MerchantCertificateSource): string {
  if (source.kind === 'p12') return 'WXPAY_API_CLIENT_P12_PATH / WXPAY_API_CLIENT_P12_PASSPHRASE';
  if (source.kind === 'pem') return 'WXPAY_API_CLIENT_CERT_PATH / WXPAY_API_CLIENT_KEY_PATH';
  return 'the development merchant certificate';
}
