/** `2025-01-14T19:55:06+08:00`: RFC 3339 in China Standard Time, as the gov sync examples use. */
export function formatRfc3339Beijing(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  const shifted = new Date(date.getTime() + 8 * 60 * 60 * 1000);
  return `${shifted.toISOString().slice(0, 19)}+08:00`;
}
