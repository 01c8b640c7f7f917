import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { devMerchant, devTls } from '@checkout/protocol/testing';
import type { EmulatorMerchant } from '../emulator-types';

/** A configured merchant with its v3 keys and API client certificate parsed once. */
export interface RegisteredMerchant extends EmulatorMerchant {
  merchantPublicKey?: KeyObject;
  platformPrivateKey?: KeyObject;
  /** SHA-256 fingerprint (as TLS reports it) of the certificate /secapi/* requests must present. */
  apiClientCertFingerprint256?: string;
}

/** The configured certificate; the dev merchant's defaults to the shipped dev one. */
function apiClientCertPem(m: EmulatorMerchant): string | undefined {
  return m.apiClientCertPem ?? (m.mchId === devMerchant.mchId ? devTls.merchantCertPem : undefined);
}

export type MerchantLookup =
  | { ok: true; merchant: RegisteredMerchant }
  | { ok: false; error: 'APPID_NOT_EXIST' | 'MCHID_NOT_EXIST' | 'APPID_MCHID_NOT_MATCH' };

export interface MerchantRegistry {
  all(): readonly RegisteredMerchant[];
  byMchId(mchId: string): RegisteredMerchant | undefined;
  byAppId(appId: string): RegisteredMerchant | undefined;
  /** The v2 check order: appid known, mch_id known, then that they belong together. */
  resolve(appId: string | undefined, mchId: string | undefined): MerchantLookup;
}

export function createMerchantRegistry(merchants: readonly EmulatorMerchant[]): MerchantRegistry {
  if (merchants.length === 0) throw new Error('the emulator needs at least one merchant');
  const list: RegisteredMerchant[] = merchants.map((m) => ({
    ...m,
    merchantPublicKey: m.merchantPublicKeyPem === undefined ? undefined : createPublicKey(m.merchantPublicKeyPem),
    platformPrivateKey: m.platformPrivateKeyPem === undefined ? undefined : createPrivateKey(m.platformPrivateKeyPem),
    apiClientCertFingerprint256: fingerprint(apiClientCertPem(m)),
  }));
  const byMch = new Map<string, RegisteredMerchant>();
  const appIds = new Set<string>();
  for (const m of list) {
    if (byMch.has(m.mchId)) throw new Error(`merchant mch_id ${m.mchId} is configured twice`);
    byMch.set(m.mchId, m);
    appIds.add(m.appId);
  }
  return {
    all: () => list,
    byMchId: (mchId) => byMch.get(mchId),
    byAppId: (appId) => list.find((m) => m.appId === appId),
    resolve(appId, mchId) {
      if (appId === undefined || appId === '' || !appIds.has(appId)) return { ok: false, error: 'APPID_NOT_EXIST' };
      const merchant = mchId === undefined ? undefined : byMch.get(mchId);
      if (merchant === undefined) return { ok: false, error: 'MCHID_NOT_EXIST' };
      if (merchant.appId !== appId) return { ok: false, error: 'APPID_MCHID_NOT_MATCH' };
      return { ok: true, merchant };
    },
  };
}

function fingerprint(pem: string | undefined): string | undefined {
  return pem === undefined ? undefined : new X509Certificate(pem).fingerprint256;
}
