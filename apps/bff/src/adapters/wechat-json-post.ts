/** A JSON answer from api.weixin.qq.com, or why there is none (a short code, never the request). */
export type WeChatJsonAnswer = { kind: 'answer'; body: Record<string, unknown> } | { kind: 'unavailable'; reason: string };

/**
 * POSTs a JSON body to an api.weixin.qq.com endpoint and reads its JSON answer. The URL may hold
 * the access_token and the body the AppSecret: neither ever reaches a reason or an error message.
 */
export async function postWeChatJson(fetchImpl: typeof fetch, url: URL, body: unknown, timeoutMs: number): Promise<WeChatJsonAnswer> {
  let parsed: unknown;
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return { kind: 'unavailable', reason: `HTTP_${response.status}` };
    parsed = await response.json();
  } catch (error) {
    return { kind: 'unavailable', reason: transportReason(error) };
  }
  if (typeof parsed !== 'object' || parsed === null) return { kind: 'unavailable', reason: 'INVALID_RESPONSE' };
  return { kind: 'answer', body: parsed as Record<string, unknown> };
}

/** A short code for a failed request: never the request. */
function transportReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'TIMEOUT';
  if (error instanceof SyntaxError) return 'INVALID_RESPONSE';
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' ? `CONNECTION_ERROR:${code}` : 'CONNECTION_ERROR';
}
