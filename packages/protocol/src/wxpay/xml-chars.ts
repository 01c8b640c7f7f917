/*
 * Characters XML 1.0 can carry (the Char production). A JavaScript string can also hold lone
 * surrogates, which have no UTF-8 encoding: a document or value containing one is not UTF-8 text.
 */

/** Characters outside the Char production (lone surrogates are checked separately). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ILLEGAL_CHAR_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const SURROGATE_RE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `text` holds a character XML cannot carry or that UTF-8 cannot encode. */
export function hasIllegalChar(text: string): boolean {
  return ILLEGAL_CHAR_RE.test(text) || (SURROGATE_RE.test(text) && LONE_SURROGATE_RE.test(text));
}

/** True when the code point may appear in an XML 1.0 document (the target of `&#…;`). */
export function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}
