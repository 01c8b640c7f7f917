import { randomInt } from 'node:crypto';
import type { EmulatorClock } from './clock';

/** access_token lifetime: 7200 s (目前是7200秒之内的值). */
export const ACCESS_TOKEN_LIFETIME_MS = 7200 * 1000;
/** Old and new tokens both work for 5 minutes around a renewal (新老access_token都可用). */
export const TOKEN_OVERLAP_MS = 300 * 1000;
/** stable_token force_refresh: at most once per 30 s (否则不会刷新) and 20 times a day. */
export const FORCE_REFRESH_MIN_INTERVAL_MS = 30 * 1000;
export const FORCE_REFRESH_PER_DAY = 20;

/** stable: `/cgi-bin/stable_token`; basic: `GET /cgi-bin/token`. The two are isolated (完全隔离，互不影响). */
export type TokenKind = 'stable' | 'basic';
export type TokenState = 'valid' | 'expired' | 'invalidated';

interface TokenRecord {
  value: string;
  appId: string;
  kind: TokenKind;
  issuedAtMs: number;
  expiresAtMs: number;
  /** The token answers 40001 from this time on (a newer token replaced it). */
  invalidAtMs?: number;
  /** Set by the control API: overrides the clock-based state. */
  forced?: 'expired' | 'invalidated';
}

/** What the control API and the dashboard see: never the token value. */
export interface TokenView {
  appid: string;
  kind: TokenKind;
  issuedAt: string;
  expiresAt: string;
  state: TokenState;
}

export type TokenCheck = { ok: true; appId: string } | { ok: false; errcode: 40001 | 42001 };

export type StableTokenResult = { ok: true; accessToken: string; expiresIn: number; minted: boolean } | { ok: false; errcode: 45009 };

/** Past this many stored tokens, the oldest dead ones are dropped (a long-running dev emulator). */
const MAX_TOKENS = 10_000;
const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Shaped like WeChat's: `<n>_` and ~130 URL-safe characters (store ≥512, as documented). */
function newTokenValue(): string {
  let out = `${String(80 + randomInt(10))}_`;
  for (let i = 0; i < 132; i++) out += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return out;
}

/** Beijing calendar day of a time (the daily quotas reset at Beijing midnight). */
function beijingDay(ms: number): string {
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/**
 * The access tokens the emulator has issued, per appid, on the emulator clock:
 * - stable: normal mode returns the current token while it has more than 5 minutes left, and
 *   mints a new one inside the last 5 minutes (the old one keeps working until it expires);
 *   force_refresh invalidates every earlier stable token at once (≥30 s apart, 20 a day).
 * - basic: every fetch mints a token and the earlier ones stop working 5 minutes later.
 */
export class AccessTokens {
  private readonly byValue = new Map<string, TokenRecord>();
  private readonly stableCurrent = new Map<string, TokenRecord>();
  private readonly forceLog = new Map<string, { lastMs: number; day: string; count: number }>();
  private mintedCount = 0;

  constructor(private readonly clock: EmulatorClock) {}

  /** Every token minted since the last reset (a test asserts "refreshed exactly once" with it). */
  issued(): number {
    return this.mintedCount;
  }

  private stateOf(record: TokenRecord, nowMs: number): TokenState {
    if (record.forced !== undefined) return record.forced;
    if (record.invalidAtMs !== undefined && nowMs >= record.invalidAtMs) return 'invalidated';
    if (nowMs >= record.expiresAtMs) return 'expired';
    return 'valid';
  }

  private mint(appId: string, kind: TokenKind, nowMs: number): TokenRecord {
    if (this.byValue.size >= MAX_TOKENS) {
      for (const [value, record] of this.byValue) {
        if (this.stateOf(record, nowMs) !== 'valid') this.byValue.delete(value);
        if (this.byValue.size < MAX_TOKENS / 2) break;
      }
    }
    const record: TokenRecord = { value: newTokenValue(), appId, kind, issuedAtMs: nowMs, expiresAtMs: nowMs + ACCESS_TOKEN_LIFETIME_MS };
    this.byValue.set(record.value, record);
    this.mintedCount += 1;
    return record;
  }

  private answer(record: TokenRecord, nowMs: number, minted: boolean): StableTokenResult {
    return { ok: true, accessToken: record.value, expiresIn: Math.floor((record.expiresAtMs - nowMs) / 1000), minted };
  }

  /** `/cgi-bin/stable_token` for an authenticated appid. */
  stable(appId: string, forceRefresh: boolean): StableTokenResult {
    const nowMs = this.clock.nowMs();
    const current = this.stableCurrent.get(appId);
    const usable = current !== undefined && this.stateOf(current, nowMs) === 'valid' ? current : undefined;
    if (forceRefresh) {
      const log = this.forceLog.get(appId);
      const day = beijingDay(nowMs);
      const countToday = log !== undefined && log.day === day ? log.count : 0;
      const tooSoon = log !== undefined && nowMs - log.lastMs < FORCE_REFRESH_MIN_INTERVAL_MS;
      if (!tooSoon || usable === undefined) {
        if (countToday >= FORCE_REFRESH_PER_DAY) return { ok: false, errcode: 45009 };
        this.forceLog.set(appId, { lastMs: nowMs, day, count: countToday + 1 });
        for (const record of this.byValue.values()) {
          if (record.appId === appId && record.kind === 'stable' && this.stateOf(record, nowMs) === 'valid') record.invalidAtMs = nowMs;
        }
        const fresh = this.mint(appId, 'stable', nowMs);
        this.stableCurrent.set(appId, fresh);
        return this.answer(fresh, nowMs, true);
      }
      // Within 30 s of the last forced refresh: 否则不会刷新, normal mode.
    }
    if (usable !== undefined && usable.expiresAtMs - nowMs > TOKEN_OVERLAP_MS) return this.answer(usable, nowMs, false);
    // No token, a dead one, or the last 5 minutes: a new token; the old one lives out its time.
    const fresh = this.mint(appId, 'stable', nowMs);
    this.stableCurrent.set(appId, fresh);
    return this.answer(fresh, nowMs, true);
  }

  /** `GET /cgi-bin/token`: a new token every time; the earlier ones stop working 5 minutes later. */
  basic(appId: string): { accessToken: string; expiresIn: number } {
    const nowMs = this.clock.nowMs();
    for (const record of this.byValue.values()) {
      if (record.appId !== appId || record.kind !== 'basic' || this.stateOf(record, nowMs) !== 'valid') continue;
      const end = nowMs + TOKEN_OVERLAP_MS;
      record.invalidAtMs = record.invalidAtMs === undefined ? end : Math.min(record.invalidAtMs, end);
    }
    const fresh = this.mint(appId, 'basic', nowMs);
    return { accessToken: fresh.value, expiresIn: Math.floor(ACCESS_TOKEN_LIFETIME_MS / 1000) };
  }

  /** The access_token of an API call: 40001 unknown or replaced, 42001 expired. */
  check(value: string): TokenCheck {
    const record = this.byValue.get(value);
    if (record === undefined) return { ok: false, errcode: 40001 };
    const state = this.stateOf(record, this.clock.nowMs());
    if (state === 'valid') return { ok: true, appId: record.appId };
    return { ok: false, errcode: state === 'expired' ? 42001 : 40001 };
  }

  /** Control API: every token issued so far answers 42001 (expire) or 40001 (invalidate). Returns how many were still valid. */
  force(state: 'expired' | 'invalidated'): number {
    const nowMs = this.clock.nowMs();
    let n = 0;
    for (const record of this.byValue.values()) {
      if (this.stateOf(record, nowMs) === 'valid') n += 1;
      record.forced = state;
    }
    return n;
  }

  views(): TokenView[] {
    const nowMs = this.clock.nowMs();
    return [...this.byValue.values()].map((r) => ({
      appid: r.appId,
      kind: r.kind,
      issuedAt: new Date(r.issuedAtMs).toISOString(),
      expiresAt: new Date(r.expiresAtMs).toISOString(),
      state: this.stateOf(r, nowMs),
    }));
  }

  reset(): void {
    this.byValue.clear();
    this.stableCurrent.clear();
    this.forceLog.clear();
    this.mintedCount = 0;
  }
}
