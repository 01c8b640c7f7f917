/**
 * A phone number as WeChat's shipping API wants it: masked, the last 4 digits kept
 * (`189****1234`); the first 3 digits are kept too when the number is long enough to hide 4.
 * An already masked value keeps its shape.
 */
export function maskContact(raw: string): string {
  const all = raw.replace(/[^0-9*]/g, '');
  // +86 138…: the national number is what WeChat's examples mask.
  const digits = all.length === 13 && all.startsWith('86') ? all.slice(2) : all;
  const tail = digits.slice(-4);
  const head = digits.length >= 11 ? digits.slice(0, 3) : '';
  return `${head}****${tail}`;
}
