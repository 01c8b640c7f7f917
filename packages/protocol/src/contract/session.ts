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
