import { XMLBuilder } from 'fast-xml-parser';
import { WxPayXmlError } from './errors';
import { hasIllegalChar } from './xml-chars';
import { checkName } from './xml-names';

/*
 * v2 documents are written by fast-xml-parser's builder: `<xml>` root, one child element per
 * field, no declaration, no indentation, `<a></a>` for an empty value. Its own escaping is off;
 * each value is encoded here, as WeChat expects: CDATA when it has a markup character (`]]>`
 * split), CR as `&#xD;` (a literal CR would read back as LF).
 */

/** Anything that needs a closer look: controls, markup chars, surrogates, U+FFFE/F. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SPECIAL_RE = /[\u0000-\u001F<>&'"\uD800-\uDFFF\uFFFE\uFFFF]/;
const MARKUP_RE = /[<>&'"]/;

function encodeValue(name: string, value: string): string {
  if (!SPECIAL_RE.test(value)) return value;
  if (hasIllegalChar(value)) {
    throw new WxPayXmlError('XML_ILLEGAL_CHAR', `field ${name} contains a character that XML cannot carry`);
  }
  if (MARKUP_RE.test(value)) {
    // CDATA cannot contain `]]>` nor escape a CR, so both end the section and restart it.
    const body = value.replaceAll(']]>', ']]]]><![CDATA[>').replaceAll('\r', ']]>&#xD;<![CDATA[');
    return `<![CDATA[${body}]]>`;
  }
  return value.replaceAll('\r', '&#xD;');
}

const builder = new XMLBuilder({
  processEntities: false,
  suppressEmptyNode: false,
  format: false,
  tagValueProcessor: (name, value) => encodeValue(name, value as string),
});

/**
 * Serialises a flat field map as a v2 `<xml>` document. Throws `WxPayXmlError` on an invalid or
 * forbidden element name, a non-string value or a character XML cannot represent.
 */
export function buildXml(fields: Readonly<Record<string, string>>): string {
  // Checked first: the builder would read `#text`, `@_x` or `?x` as text, attribute or PI, and
  // would stringify a number or nest an object.
  for (const name of Object.keys(fields)) {
    checkName(name);
    const value: unknown = fields[name];
    if (typeof value !== 'string') {
      throw new WxPayXmlError('XML_INVALID', `field ${name} must be a string, got ${typeof value}`);
    }
  }
  return builder.build({ xml: fields });
}
