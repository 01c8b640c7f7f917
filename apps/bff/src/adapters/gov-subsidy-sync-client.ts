import { randomBytes } from 'node:crypto';
import {
  buildV3Authorization,
  GOV_SUBSIDY_SYNC_PATH,
  govSubsidySyncResponseSchema,
  verifyV3Response,
  WxPaySignatureError,
  type GovSubsidySyncRequest,
  type KeyLike,
} from '@checkout/protocol/wxpay';

export interface GovSubsidySyncClientConfig {
  /** `https://api.mch.weixin.qq.com` or the emulator's URL. */
  baseUrl: string;
  mchId: string;
  /** Merchant API certificate serial (Authorization serial_no). */
  merchantSerialNo: string;
  merchantPrivateKey: KeyLike;
  /** Trusted WeChat Pay keys by serial / `PUB_KEY_ID_…`, for verifying answers. */
  platformPublicKeys: ReadonlyMap<string, KeyLike>;
  /** Per request, body included. Default 10 s (tp99 of the API is ≈ 250 ms). */
  timeoutMs?: number;
}

export interface GovSubsidySyncClientDeps {
  fetch?: typeof fetch;
  /** For signing and the ±300 s freshness check: real time, not a test clock. */
  nowSeconds?: () => number;
  nonce?: () => string;
}

/**
 * Outcome of one POST. `accepted`: 2xx with a verified signature. `rejected`: a verified 4xx
 * (other than 401/429), i.e. WeChat Pay read the request and refused it; retrying the same body
 * will not help. `retryable`: everything else, including any answer whose signature does not
 * verify (SIGNTEST probes included): an unverified answer is never taken as delivered or refused.
 * `reason` is a short code safe to log and store.
 */
export type GovSubsidySyncResult =
  | { kind: 'accepted'; code: string }
  | { kind: 'rejected'; status: number; code: string; reason: string }
  | { kind: 'retryable'; reason: string; retryAfterMs?: number };

export interface GovSubsidySyncClient {
  sync(request: GovSubsidySyncRequest, wechatpaySerial: string): Promise<GovSubsidySyncResult>;
}

export function createGovSubsidySyncClient(config: GovSubsidySyncClientConfig, deps: GovSubsidySyncClientDeps = {}): GovSubsidySyncClient {
  const doFetch = deps.fetch ?? globalThis.fetch;
  const nowSeconds = deps.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const nonce = deps.nonce ?? (() => randomBytes(16).toString('hex'));
  const url = new URL(GOV_SUBSIDY_SYNC_PATH, config.baseUrl).href;

  return {
    async sync(request, wechatpaySerial) {
      const body = JSON.stringify(request);
      const authorization = buildV3Authorization({
        method: 'POST',
        pathWithQuery: GOV_SUBSIDY_SYNC_PATH,
        body,
        mchId: config.mchId,
        serialNo: config.merchantSerialNo,
        privateKey: config.merchantPrivateKey,
        timestampSeconds: nowSeconds(),
        nonce: nonce(),
      });

      let response: Response;
      let text: string;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: {
            authorization,
            'content-type': 'application/json',
            accept: 'application/json',
            'wechatpay-serial': wechatpaySerial,
            'user-agent': 'checkout-bff',
          },
          body,
          signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
        });
        text = await response.text();
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        const cause = (error as { cause?: { code?: unknown } }).cause;
        return { kind: 'retryable', reason: `CONNECTION:${typeof cause?.code === 'string' ? cause.code : name}` };
      }

      const status = response.status;
      try {
        verifyV3Response({
          headers: {
            timestamp: response.headers.get('wechatpay-timestamp'),
            nonce: response.headers.get('wechatpay-nonce'),
            signature: response.headers.get('wechatpay-signature'),
            serial: response.headers.get('wechatpay-serial'),
          },
          body: text,
          publicKeys: config.platformPublicKeys,
          nowSeconds: nowSeconds(),
        });
      } catch (error) {
        if (!(error instanceof WxPaySignatureError)) throw error;
        return { kind: 'retryable', reason: `HTTP_${status}:UNVERIFIED:${error.code}`, retryAfterMs: retryAfterMs(response) };
      }

      const answer = govSubsidySyncResponseSchema.safeParse(safeJson(text));
      const code = answer.success ? answer.data.code : 'UNKNOWN';
      if (status >= 200 && status < 300) return { kind: 'accepted', code };
      if (status === 429 || status === 401 || status >= 500) {
        return { kind: 'retryable', reason: `HTTP_${status}:${code}`, retryAfterMs: retryAfterMs(response) };
      }
      return { kind: 'rejected', status, code, reason: `HTTP_${status}:${code}` };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Retry-After in seconds (the only form WeChat Pay uses), capped at an hour. */
function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null || !/^\d{1,5}$/.test(value)) return undefined;
  return Math.min(Number(value), 3600) * 1000;
}
