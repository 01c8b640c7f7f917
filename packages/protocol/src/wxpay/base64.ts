/** Canonical padded base64 (what WeChat Pay sends): anything else is refused before decoding. */
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** True for canonical padded base64 (the empty string included). Buffer.from would silently skip junk. */
export function isBase64(text: string): boolean {
  return BASE64_RE.test(text);
}
