/** A nullable ISO-8601 column as a Date (every instant is stored as Date#toISOString text). */
export function dateOrNull(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}
