import type { Middleware } from 'koa';
import { DomainError } from '../../domain/domain-error';
import type { AppState } from '../app-state';

export interface RateLimitOptions {
  windowMs: number;
  max: number;
  now?: () => number;
}

/**
 * Fixed-window limit per client IP, in process memory (per instance; a shared store is the
 * scale-out upgrade). Over the limit → 429 RATE_LIMITED with Retry-After.
 */
export function rateLimit(options: RateLimitOptions): Middleware<AppState> {
  const now = options.now ?? Date.now;
  let windowStart = now();
  let counts = new Map<string, number>();
  return async (ctx, next) => {
    // Mounted by the app where it applies (the buyer API); CORS preflights are not counted.
    if (ctx.method === 'OPTIONS') {
      await next();
      return;
    }
    const t = now();
    if (t - windowStart >= options.windowMs) {
      // A new window forgets every client: memory stays bounded by one window's clients.
      windowStart = t;
      counts = new Map();
    }
    const count = (counts.get(ctx.ip) ?? 0) + 1;
    counts.set(ctx.ip, count);
    if (count > options.max) {
      ctx.set('Retry-After', String(Math.max(1, Math.ceil((windowStart + options.windowMs - t) / 1000))));
      throw new DomainError('RATE_LIMITED', 'too many requests, slow down');
    }
    await next();
  };
}
