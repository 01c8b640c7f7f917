import type { DomainLogger } from '../domain/ports/domain-logger';

/** Per-request state set by middleware; routers are typed with it (no ctx casts). */
export interface AppState {
  requestId: string;
  /** Lines carry the request id (see requestLogger). */
  log: DomainLogger;
  /** Set by requireSession. */
  userId?: string;
  /** Parsed JSON body, set by jsonBody(). */
  body?: unknown;
}
