import type { DestinationStream, Logger } from 'pino';
import { pino } from 'pino';

/**
 * Paths censored wherever they appear in a log object: credentials, session material and the
 * buyer's personal data. Code also avoids logging them; this is the safety net.
 */
export const redactedPaths = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'session_key',
  '*.session_key',
  'sessionKey',
  '*.sessionKey',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'appSecret',
  '*.appSecret',
  'secret',
  '*.secret',
  'sign',
  '*.sign',
  'paySign',
  '*.paySign',
  'openid',
  '*.openid',
  'realName',
  '*.realName',
  'idCardNumber',
  '*.idCardNumber',
  'phoneNumber',
  '*.phoneNumber',
  'rawBody',
  '*.rawBody',
  // v3 keys, admin/metrics tokens, sealed PII and the gov sync's wire names for PII.
  'privateKey',
  '*.privateKey',
  'merchantPrivateKeyPem',
  '*.merchantPrivateKeyPem',
  'adminToken',
  '*.adminToken',
  'metricsToken',
  '*.metricsToken',
  'piiKey',
  '*.piiKey',
  'pii_sealed',
  '*.pii_sealed',
  'sealedPii',
  '*.sealedPii',
  'real_name',
  '*.real_name',
  'id_card_number',
  '*.id_card_number',
  'phone_number',
  '*.phone_number',
];

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  const config = {
    level: options.level,
    base: { service: 'bff' },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
