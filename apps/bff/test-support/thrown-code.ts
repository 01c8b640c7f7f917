import { DomainError } from '../src/domain/domain-error';
import { SubsidyError } from '../src/domain/subsidy/subsidy-error';

/**
 * The stable `code` of the DomainError or SubsidyError that `fn` throws, or `NO_ERROR` when it
 * returns. Anything else is rethrown: a TypeError is a bug, not a refusal, and must fail the test.
 */
export function thrownCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return refusalCode(error);
  }
  return 'NO_ERROR';
}

/** `thrownCode` for a promise: the stable code it rejects with, or `NO_ERROR`. */
export async function rejectedCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return refusalCode(error);
  }
  return 'NO_ERROR';
}

function refusalCode(error: unknown): string {
  if (error instanceof DomainError || error instanceof SubsidyError) return error.code;
  throw error;
}
