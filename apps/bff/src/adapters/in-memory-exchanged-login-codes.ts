import { createHash } from 'node:crypto';
import { DomainError } from '../domain/domain-error';
import type { ExchangedCodeLookup, ExchangedLoginCodes, LoginIdentity } from '../domain/session/exchanged-login-codes';

export interface InMemoryExchangedLoginCodesOptions {
  ttlMs: number;
  /** Hard cap; entries come only from budgeted jscode2session calls, so it is rarely reached. */
  maxEntries: number;
}

interface Entry {
  caller: string;
  identity: Promise<LoginIdentity>;
  expiresAt: number;
}

/**
 * Per process, in memory. Keys are SHA-256 digests of the codes (the code is the buyer's bearer
 * secret; the digest is enough to recognise a repeat). Values hold an internal user id and a
 * generation, never the openid or the session_key. A repeat on another instance asks WeChat and
 * gets "code been used", as without the cache.
 */
export class InMemoryExchangedLoginCodes implements ExchangedLoginCodes {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: InMemoryExchangedLoginCodesOptions) {}

  lookup(code: string, caller: string, now: Date): ExchangedCodeLookup {
    if (this.options.ttlMs <= 0) return { kind: 'unknown' };
    const key = digest(code);
    const entry = this.entries.get(key);
    if (!entry) return { kind: 'unknown' };
    if (entry.expiresAt <= now.getTime()) {
      this.entries.delete(key);
      return { kind: 'unknown' };
    }
    return entry.caller === caller ? { kind: 'same-caller', identity: entry.identity } : { kind: 'other-caller' };
  }

  remember(code: string, caller: string, identity: Promise<LoginIdentity>, now: Date): void {
    if (this.options.ttlMs <= 0) return;
    const t = now.getTime();
    const key = digest(code);
    this.evict(t);
    const entry: Entry = { caller, identity, expiresAt: t + this.options.ttlMs };
    this.entries.set(key, entry);
    // An invalid code stays remembered (WeChat would refuse it again); an outage or quota answer
    // is forgotten so the buyer's retry can reach WeChat.
    identity.catch((error: unknown) => {
      const invalid = error instanceof DomainError && error.code === 'LOGIN_CODE_INVALID';
      if (!invalid && this.entries.get(key) === entry) this.entries.delete(key);
    });
  }

  private evict(t: number): void {
    if (this.entries.size < this.options.maxEntries) return;
    // Insertion order is expiry order (one TTL for all): drop expired ones, then the oldest.
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > t && this.entries.size < this.options.maxEntries) break;
      this.entries.delete(key);
    }
  }
}

function digest(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('base64url');
}
