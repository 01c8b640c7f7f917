import { isApiError } from './api-error';

/**
 * The one place unexpected errors are logged. Only the name, code and message go out (ApiError
 * messages never hold tokens or codes); request bodies with buyer details are never logged.
 */
export function reportError(source: string, error: unknown, extra?: string): void {
  const summary = isApiError(error)
    ? `${error.name} ${error.code}: ${error.message}`
    : error instanceof Error
      ? `${error.name}: ${error.message}`
      : String(error);
  console.error(`[checkout:${source}] ${summary}${extra ? `\n${extra}` : ''}`);
}
