import type { Logger } from 'pino';

/** Per-request state set by middleware; routers are typed with it (no ctx casts). */
export interface AppState {
  requestId: string;
  /** pino child logger carrying reqId. */
  log: Logger;
  /** Set by requireSession. */
  userId?: string;
  /** Parsed JSON body, set by jsonBody(). */
  body?: unknown;
}
