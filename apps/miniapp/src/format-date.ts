/** "2026-11-25 16:10" in Beijing time, whatever the device's zone. */
export function formatDate(iso: string): string {
  const date = new Date(Date.parse(iso) + 8 * 3600_000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}
