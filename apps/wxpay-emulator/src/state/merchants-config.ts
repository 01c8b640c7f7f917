import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { EmulatorMerchant } from '../emulator-types';

/**
 * The merchants config file (JSON). Keys may be inline PEM (`…Pem`) or files (`…File`, relative
 * to the config file). Only test keys belong in such a file.
 *
 * { "merchants": [ { "appId": "wx…", "mchId": "19…", "apiKey": "…32 chars…", "appSecret": "…",
 *   "merchantSerialNo": "…", "merchantPublicKeyFile": "keys/merchant-public.pem",
 *   "platformPublicKeyId": "PUB_KEY_ID_…", "platformPrivateKeyFile": "keys/platform-private.pem",
 *   "apiClientCertFile": "keys/apiclient_cert.pem", "apiClientCaFile": "keys/ca.pem",
 *   "refundNotifyUrl": "https://shop.example/wxpay/refund-notify",
 *   "govSubsidy": { "allowed": true, "allowedRegionCodes": [310100] } } ] }
 */
const merchantSchema = z.strictObject({
  appId: z.string().min(1).max(32),
  mchId: z.string().min(1).max(32),
  apiKey: z.string().min(1),
  appSecret: z.string().min(1).optional(),
  merchantName: z.string().optional(),
  merchantSerialNo: z.string().optional(),
  merchantPublicKeyPem: z.string().optional(),
  merchantPublicKeyFile: z.string().optional(),
  platformPublicKeyId: z.string().optional(),
  platformPrivateKeyPem: z.string().optional(),
  platformPrivateKeyFile: z.string().optional(),
  platformPublicKeyPem: z.string().optional(),
  platformPublicKeyFile: z.string().optional(),
  apiClientCertPem: z.string().optional(),
  apiClientCertFile: z.string().optional(),
  apiClientCaPem: z.string().optional(),
  apiClientCaFile: z.string().optional(),
  refundNotifyUrl: z.url({ protocol: /^https?$/ }).optional(),
  govSubsidy: z.strictObject({ allowed: z.boolean().optional(), allowedRegionCodes: z.array(z.number().int()).optional() }).optional(),
});

export const merchantsConfigSchema = z.strictObject({ merchants: z.array(merchantSchema).min(1) });

export class MerchantsConfigError extends Error {
  override name = 'MerchantsConfigError';
  readonly code = 'MERCHANTS_CONFIG_INVALID';
}

/** Reads and validates a merchants config file; errors name the file and field, never a key value. */
export function loadMerchantsConfig(path: string): EmulatorMerchant[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new MerchantsConfigError(`cannot read merchants config ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text around the error (`..."apiKey":SECRET"...`): give the position only.
    const position = error instanceof Error ? /at position (\d+)/.exec(error.message)?.[1] : undefined;
    throw new MerchantsConfigError(`merchants config ${path} is not valid JSON${position === undefined ? '' : ` (at character ${position})`}`);
  }
  const parsed = merchantsConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MerchantsConfigError(`merchants config ${path}: ${issue === undefined ? 'invalid' : `${issue.path.join('.')}: ${issue.message}`}`);
  }
  const base = dirname(resolve(path));
  const pem = (inline: string | undefined, file: string | undefined, what: string): string | undefined => {
    if (inline !== undefined) return inline;
    if (file === undefined) return undefined;
    try {
      return readFileSync(resolve(base, file), 'utf8');
    } catch {
      throw new MerchantsConfigError(`merchants config ${path}: cannot read ${what} file ${file}`);
    }
  };
  return parsed.data.merchants.map((m) => {
    const { merchantPublicKeyFile, platformPrivateKeyFile, platformPublicKeyFile, apiClientCertFile, apiClientCaFile, ...rest } = m;
    return {
      ...rest,
      apiClientCertPem: pem(m.apiClientCertPem, apiClientCertFile, 'apiClientCert'),
      apiClientCaPem: pem(m.apiClientCaPem, apiClientCaFile, 'apiClientCa'),
      merchantPublicKeyPem: pem(m.merchantPublicKeyPem, merchantPublicKeyFile, 'merchantPublicKey'),
      platformPrivateKeyPem: pem(m.platformPrivateKeyPem, platformPrivateKeyFile, 'platformPrivateKey'),
      platformPublicKeyPem: pem(m.platformPublicKeyPem, platformPublicKeyFile, 'platformPublicKey'),
    };
  });
}
