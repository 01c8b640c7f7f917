import { formatRfc3339Beijing } from '../subsidy/rfc3339-beijing';

/**
 * The upload_time of a new upload: now in RFC 3339 Beijing time, whole seconds (WeChat refuses
 * `.000` milliseconds), and strictly after the order's previous upload, since WeChat orders an
 * order's uploads by it and refuses one that is not later (268485216).
 */
export function nextUploadTime(now: Date, previous: string | null): string {
  const seconds = Math.floor(now.getTime() / 1000);
  const previousSeconds = previous === null ? Number.NEGATIVE_INFINITY : Math.floor(new Date(previous).getTime() / 1000);
  return formatRfc3339Beijing(new Date(Math.max(seconds, previousSeconds + 1) * 1000));
}
