import { z } from 'zod';

// The only file of the PostgreSQL starter that reads process.env.
const envSchema = z.object({
  /** Directory holding initdb/postgres; defaults to the newest /usr/lib/postgresql/<ver>/bin. */
  PG_BIN: z.string().min(1).optional(),
  /**
   * An already running PostgreSQL that the suites may use instead of starting their own; the
   * role must be allowed to CREATE DATABASE (each suite makes fresh databases in it).
   */
  TEST_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'TEST_DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  /** Set by CI systems; there a missing PostgreSQL must fail the suites, never skip them. */
  CI: z.boolean(),
});

export type PostgresHarnessEnv = z.infer<typeof envSchema>;

export function readPostgresHarnessEnv(env: NodeJS.ProcessEnv = process.env): PostgresHarnessEnv {
  const parsed = envSchema.safeParse({
    PG_BIN: env.PG_BIN || undefined,
    TEST_DATABASE_URL: env.TEST_DATABASE_URL || undefined,
    CI: env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false',
  });
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
