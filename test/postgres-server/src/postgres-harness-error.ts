export type PostgresHarnessErrorCode =
  | 'POSTGRES_NOT_INSTALLED'
  | 'POSTGRES_OS_USER_MISSING'
  | 'POSTGRES_TEMP_DIR_UNREACHABLE'
  | 'POSTGRES_INITDB_FAILED'
  | 'POSTGRES_START_FAILED'
  | 'POSTGRES_INVALID_OPTION';

/** Every failure of the harness; `code` is stable, the message says what to do. */
export class PostgresHarnessError extends Error {
  override readonly name = 'PostgresHarnessError';

  constructor(
    readonly code: PostgresHarnessErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
