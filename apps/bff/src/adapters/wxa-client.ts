import type { AccessTokenProvider } from '../domain/access-token/access-token-provider';
import { AccessTokenUnavailableError } from '../domain/access-token/access-token-issuer';
import type { WxaResult } from '../domain/shipping/wechat-shipping-api';
import { postWeChatJson } from './wechat-json-post';

export interface WxaClientConfig {
  baseUrl: string;
  timeoutMs: number;
}

/** 40001 invalid or not the latest, 42001 expired: renew the token once and retry. */
const tokenRejections = new Set([40001, 42001]);

/**
 * JSON calls to `api.weixin.qq.com` that carry `?access_token=`. On a token rejection the token
 * is renewed once (shared, leased) and the call retried once; a second rejection is returned as
 * an errcode for the caller's own retry policy. The URL (it holds the token) is never logged or
 * put in a result.
 */
export class WxaClient {
  constructor(
    private readonly config: WxaClientConfig,
    private readonly tokens: AccessTokenProvider,
    private readonly fetchImpl: typeof fetch = globalThis.fetch,
  ) {}

  async call(path: string, body: unknown): Promise<WxaResult<Record<string, unknown>>> {
    let token: string;
    try {
      token = await this.tokens.current();
    } catch (error) {
      return { kind: 'unavailable', reason: tokenFailure(error) };
    }
    const first = await this.post(path, token, body);
    if (first.kind !== 'errcode' || !tokenRejections.has(first.errcode)) return first;
    let renewed: string;
    try {
      renewed = await this.tokens.renewAfterRejection(token, first.errcode);
    } catch (error) {
      return { kind: 'unavailable', reason: tokenFailure(error) };
    }
    return this.post(path, renewed, body);
  }

  private async post(path: string, token: string, body: unknown): Promise<WxaResult<Record<string, unknown>>> {
    const url = new URL(path, this.config.baseUrl);
    url.searchParams.set('access_token', token);
    const reply = await postWeChatJson(this.fetchImpl, url, body, this.config.timeoutMs);
    if (reply.kind === 'unavailable') return reply;
    const answer = reply.body;
    const errcode = answer.errcode ?? 0;
    if (typeof errcode !== 'number') return { kind: 'unavailable', reason: 'INVALID_RESPONSE' };
    if (errcode !== 0) return { kind: 'errcode', errcode, errmsg: typeof answer.errmsg === 'string' ? answer.errmsg : '' };
    return { kind: 'ok', value: answer };
  }
}

function tokenFailure(error: unknown): string {
  return error instanceof AccessTokenUnavailableError ? `ACCESS_TOKEN_UNAVAILABLE:${error.reason}` : 'ACCESS_TOKEN_UNAVAILABLE';
}
