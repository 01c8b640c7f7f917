/*
 * A cheap proof that a document is well-formed, for the shape WeChat Pay actually sends:
 * `<xml>` holding fields `<name>value</name>`, each value plain text (no `]`), the five
 * predefined entities, or CDATA sections, with XML white space between tags. A document of that
 * shape is well-formed by construction (each closing tag repeats its opening name), so
 * fast-xml-parser's validator, a second full pass that costs about a third of a parse, is skipped
 * for it. Anything else (comments, numeric references, `]` in text, empty-element tags,
 * attributes, nesting, truncation) does not match and goes through the validator as before: the
 * set of accepted documents and every error stay exactly what they were.
 *
 * Every alternative starts with its own character (`<`, `&`, or neither), so the expression
 * never backtracks into a choice it made: linear time on any input, matched or not.
 */
const FLAT_DOCUMENT_RE =
  /^<xml>(?:[ \t\r\n]*<([A-Za-z_][A-Za-z0-9_-]*)>(?:[^<&\]]|&(?:lt|gt|amp|quot|apos);|<!\[CDATA\[[^\]]*(?:\](?!\]>)[^\]]*)*\]\]>)*<\/\1>)*[ \t\r\n]*<\/xml>[ \t\r\n]*$/;

/** True when `body` (after the prolog) is a flat v2 document that is well-formed by its shape alone. */
export function isWellFormedFlatDocument(body: string): boolean {
  return FLAT_DOCUMENT_RE.test(body);
}
