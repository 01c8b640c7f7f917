import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IssuedSession, SessionClaims, SessionTokens } from '../domain/session/session-tokens';

interface TokenPayload {
  /** Internal user id (never the openid, never the session_key). */
  sub: string;
  /** The user's session generation at issue; absent in tokens issued before revocation existed (= 0). */
  gen?: number;
  /** Expiry, Unix seconds. */
  exp: number;
}

const prefix = 'v1';

/**
 * `v1.<base64url payload>.<base64url HMAC-SHA256>`: stateless, tamper-evident, expiring.
 * The payload is readable, so it holds nothing but an opaque user id, its session generation
 * (checked against the database on every request: logout revokes) and the expiry.
 */
export class HmacSessionTokens implements SessionTokens {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
  ) {}

  issue(userId: string, generation: number, now: Date): IssuedSession {
    const exp = Math.floor(now.getTime() / 1000) + this.ttlSeconds;
    const payload = Buffer.from(JSON.stringify({ sub: userId, gen: generation, exp } satisfies TokenPayload)).toString('base64url');
    return { token: `${prefix}.${payload}.${this.mac(payload)}`, expiresAt: new Date(exp * 1000) };
  }

  verify(token: string, now: Date): SessionClaims | null {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== prefix) return null;
    const [, payload = '', signature = ''] = parts;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (!isPayload(decoded) || decoded.exp * 1000 <= now.getTime()) return null;
    return { userId: decoded.sub, generation: decoded.gen ?? 0 };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(`${prefix}.${payload}`).digest('base64url');
  }
}

function isPayload(value: unknown): value is TokenPayload {
  if (typeof value !== 'object' || value === null) return false;
  const { sub, gen, exp } = value as Record<string, unknown>;
  const validGeneration = gen === undefined || (typeof gen === 'number' && Number.isSafeInteger(gen) && gen >= 0);
  return typeof sub === 'string' && sub.length > 0 && validGeneration && typeof exp === 'number' && Number.isInteger(exp);
}
