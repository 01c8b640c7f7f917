import { z } from 'zod';

export type TestDatabaseBackend = 'sqlite' | 'postgres';

const backendSchema = z.enum(['sqlite', 'postgres']).default('sqlite');

/** `TEST_DB=sqlite|postgres` (default sqlite): which database `startStack` gives the BFF. */
export function testDatabaseBackend(env: NodeJS.ProcessEnv = process.env): TestDatabaseBackend {
  const parsed = backendSchema.safeParse(env.TEST_DB || undefined);
  if (!parsed.success) throw new Error(`TEST_DB must be sqlite or postgres, got ${JSON.stringify(env.TEST_DB)}`);
  return parsed.data;
}
