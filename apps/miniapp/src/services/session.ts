import { sessionResponseSchema, type SessionResponse } from '@checkout/protocol/contract';
import type { KeyValueStore } from './key-value-store';

const STORAGE_KEY = 'checkout.session';
/** Renew a little before the server would refuse the token. */
const EXPIRY_MARGIN_MS = 60_000;

export interface SessionDeps {
  store: KeyValueStore;
  /** A fresh single-use login code (wx.login, or the emulator in H5 dev). */
  loginCode: () => Promise<string>;
  /** POST /api/session with that code. */
  exchange: (code: string) => Promise<SessionResponse>;
  now?: () => number;
}

export interface Session {
  /** A token that is not known to be expired; logs in when there is none. */
  token(): Promise<string>;
  /** Drops the current token and logs in again. Concurrent callers share one login. */
  renew(): Promise<string>;
  clear(): void;
  /** The token held now, without logging in (null when there is none). */
  held(): string | null;
}

export function createSession({ store, loginCode, exchange, now = Date.now }: SessionDeps): Session {
  let current = readStored(store);
  let inFlight: Promise<string> | null = null;

  const login = (): Promise<string> => {
    inFlight ??= (async () => {
      try {
        const session = await exchange(await loginCode());
        current = session;
        store.set(STORAGE_KEY, JSON.stringify(session));
        return session.token;
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  };

  return {
    token() {
      if (current && Date.parse(current.expiresAt) - EXPIRY_MARGIN_MS > now()) return Promise.resolve(current.token);
      return login();
    },
    renew() {
      current = null;
      store.remove(STORAGE_KEY);
      return login();
    },
    clear() {
      current = null;
      store.remove(STORAGE_KEY);
    },
    held() {
      return current?.token ?? null;
    },
  };
}

function readStored(store: KeyValueStore): SessionResponse | null {
  const raw = store.get(STORAGE_KEY);
  if (!raw) return null;
  try {
    const parsed = sessionResponseSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
