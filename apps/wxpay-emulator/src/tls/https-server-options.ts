import type { ServerOptions } from 'node:https';
import { devTls } from '@checkout/protocol/testing';
import type { RegisteredMerchant } from '../state/merchant-registry';

/**
 * The HTTPS listener: the dev server certificate, and a client certificate asked for on every
 * connection but not required (rejectUnauthorized false), so /pay/* works without one and
 * /secapi/* can refuse per request. Trusted issuers: the dev CA plus any CA a merchant names.
 */
export function httpsServerOptions(merchants: readonly RegisteredMerchant[]): ServerOptions {
  const extraCas = merchants.flatMap((m) => (m.apiClientCaPem === undefined ? [] : [m.apiClientCaPem]));
  return {
    cert: devTls.serverCertPem,
    key: devTls.serverKeyPem,
    ca: [devTls.caCertPem, ...extraCas],
    requestCert: true,
    rejectUnauthorized: false,
  };
}
