import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/**
 * The SHA-256 fingerprint of the client certificate the TLS layer verified against the trusted
 * CAs, or undefined: plain HTTP, no certificate, or one no trusted CA issued.
 */
export function verifiedClientCertificate(socket: Socket): string | undefined {
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
  const certificate = socket.getPeerCertificate();
  return certificate.fingerprint256 === '' ? undefined : certificate.fingerprint256;
}
