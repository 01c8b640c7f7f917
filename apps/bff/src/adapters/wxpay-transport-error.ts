import { WxPayConnectionError } from '@checkout/protocol/wxpay';

/** What happened to a call that got no answer, as a stable code and a short description. */
export interface TransportFailure {
  /** TIMEOUT, CONNECTION_REFUSED, CONNECTION_RESET, DNS_FAILURE, CONNECTION_ERROR or HTTP_<status>. */
  code: string;
  description: string;
}

/** No usable HTTP answer from WeChat Pay; `failure` says why (for payitil/report and logs). */
export class WxPayTransportError extends WxPayConnectionError {
  override name = 'WxPayTransportError';
  constructor(
    message: string,
    readonly failure: TransportFailure,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const socketCodes: Record<string, string> = {
  ECONNREFUSED: 'CONNECTION_REFUSED',
  ECONNRESET: 'CONNECTION_RESET',
  EPIPE: 'CONNECTION_RESET',
  ENOTFOUND: 'DNS_FAILURE',
  EAI_AGAIN: 'DNS_FAILURE',
  // fetch (undici): the peer closed the socket before the answer.
  UND_ERR_SOCKET: 'CONNECTION_RESET',
  UND_ERR_CONNECT_TIMEOUT: 'TIMEOUT',
};

/** A rejected request (socket error, timeout, cut answer); the message carries no body or key. */
export function transportFailureOf(error: unknown): TransportFailure {
  // fetch wraps the socket error ("fetch failed" → cause): the innermost coded error says most.
  for (let current = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth += 1) {
    if (current.name === 'TimeoutError') return { code: 'TIMEOUT', description: current.message };
    const socketCode = (current as { code?: unknown }).code;
    if (typeof socketCode === 'string') return { code: socketCodes[socketCode] ?? 'CONNECTION_ERROR', description: `${current.message} (${socketCode})` };
  }
  return { code: 'CONNECTION_ERROR', description: error instanceof Error ? error.message : 'unknown error' };
}

/** A gateway-style status (5xx, 429): the request did not reach, or was not answered by, WeChat Pay. */
export function httpFailureOf(status: number): TransportFailure {
  return { code: `HTTP_${String(status)}`, description: `answered HTTP ${String(status)}` };
}
