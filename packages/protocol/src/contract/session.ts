import { z } from 'zod';

/** `wx.login` code → BFF session. The openid is resolved on the server and never sent by the client. */
export const sessionRequestSchema = z.object({
  code: z.string().check(z.minLength(1), z.maxLength(128)),
});
export type SessionRequest = z.infer<typeof sessionRequestSchema>;

export const sessionResponseSchema = z.object({
  token: z.string().check(z.minLength(1)),
  /** ISO 8601 instant after which the token is refused with UNAUTHENTICATED. */
  expiresAt: z.iso.datetime(),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

/**
 * Answer to `POST /api/session/logout` (Bearer session token). Every token of the user issued so
 * far is refused with UNAUTHENTICATED from then on, on every device; a new login works as before.
 */
export const sessionLogoutResponseSchema = z.object({
  loggedOut: z.literal(true),
});
export type SessionLogoutResponse = z.infer<typeof sessionLogoutResponseSchema>;
