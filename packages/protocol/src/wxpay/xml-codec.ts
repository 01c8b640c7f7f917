import { WxPayXmlError } from './errors';

/*
 * The v2 wire format is one flat document: `<xml>` root, one child element per field, string values.
 * Building is hand-written (it is on the hot path of every request and must escape exactly as
 * WeChat expects). Parsing is hand-written too: one strict scan of that flat shape that checks the
 * structure and extracts the values in the same pass (general XML parsers are lenient: they accept
 * mismatched closing tags, truncated documents and trailing content, and may expand declared
 * entities or turn a 28-digit transaction_id into a float). Every value is a string.
 */

/**
 * Names that reach an object's prototype machinery. General XML parsers throw on the first three
 * or silently rename the rest (fast-xml-parser: `toString` → `__toString`), which would change the
 * signed field set, so all of them are refused outright (WeChat uses none).
 */
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** ASCII subset of XML names: what WeChat uses, nothing that needs namespaces. */
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Anything that needs a closer look when building: controls, markup chars, surrogates, U+FFFE/F. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BUILD_SPECIAL_RE = /[\u0000-\u001F<>&'"\uD800-\uDFFF\uFFFE\uFFFF]/;
/** Characters outside the XML 1.0 Char production (lone surrogates are checked separately). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ILLEGAL_CHAR_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const SURROGATE_RE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MARKUP_RE = /[<>&'"]/;

/** Names already checked: the same few dozen wire names are built over and over. Bounded. */
const knownGoodNames = new Set<string>();

function checkName(name: string): void {
  if (knownGoodNames.has(name)) return;
  if (!NAME_RE.test(name)) {
    throw new WxPayXmlError('XML_BAD_NAME', `invalid XML element name ${JSON.stringify(name)}`);
  }
  if (FORBIDDEN_NAMES.has(name)) {
    throw new WxPayXmlError('XML_FORBIDDEN_NAME', `forbidden XML element name ${JSON.stringify(name)}`);
  }
  if (knownGoodNames.size < 1024) knownGoodNames.add(name);
}

function encodeValue(name: string, value: string): string {
  if (!BUILD_SPECIAL_RE.test(value)) return value;
  if (ILLEGAL_CHAR_RE.test(value) || (SURROGATE_RE.test(value) && LONE_SURROGATE_RE.test(value))) {
    throw new WxPayXmlError('XML_ILLEGAL_CHAR', `field ${name} contains a character that XML cannot carry`);
  }
  if (MARKUP_RE.test(value)) {
    // CDATA cannot contain `]]>` nor escape a CR, so both end the section and restart it.
    const body = value.replaceAll(']]>', ']]]]><![CDATA[>').replaceAll('\r', ']]>&#xD;<![CDATA[');
    return `<![CDATA[${body}]]>`;
  }
  // A literal CR would be normalised to LF by every XML parser.
  return value.replaceAll('\r', '&#xD;');
}

/**
 * Serialises a flat field map as a v2 `<xml>` document. Throws `WxPayXmlError` on an invalid or
 * forbidden element name, a non-string value or a character XML cannot represent.
 */
export function buildXml(fields: Readonly<Record<string, string>>): string {
  let out = '<xml>';
  for (const name of Object.keys(fields)) {
    const value: unknown = fields[name];
    checkName(name);
    if (typeof value !== 'string') {
      throw new WxPayXmlError('XML_INVALID', `field ${name} must be a string, got ${typeof value}`);
    }
    out += `<${name}>${encodeValue(name, value)}</${name}>`;
  }
  return `${out}</xml>`;
}

// ---------------------------------------------------------------------------------------------
// Parsing

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ENTITY_RE = /&(?:#x([0-9A-Fa-f]{1,8});|#([0-9]{1,10});|(lt|gt|amp|quot|apos);)?/g;
/** XML line-end handling (XML 1.0 §2.11): CRLF and a lone CR read as LF, in text and in CDATA. */
const LINE_END_RE = /\r\n?/g;

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function replaceEntity(match: string, hex?: string, dec?: string, named?: string): string {
  if (named !== undefined) return PREDEFINED[named] ?? match;
  const digits = hex ?? dec;
  if (digits === undefined) {
    throw new WxPayXmlError('XML_INVALID', 'unescaped "&" or unknown entity in text');
  }
  const cp = Number.parseInt(digits, hex === undefined ? 10 : 16);
  if (!isXmlChar(cp)) {
    throw new WxPayXmlError('XML_ILLEGAL_CHAR', `character reference ${match} is not an XML character`);
  }
  return String.fromCodePoint(cp);
}

/** `<?xml version="1.x" [encoding="…"] [standalone="yes|no"]?>` */
const XML_DECLARATION_RE =
  /<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1(?:\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>/y;

/** A declaration at markup position `lt` (`<!DOCTYPE`, `<!ENTITY`, any case). */
const DECLARATION_RE = /<!\s*(?:DOCTYPE|ENTITY)/iy;

const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const LBRACKET = 0x5b;

function invalid(message: string, code = 'XML_INVALID'): never {
  throw new WxPayXmlError(code, message);
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipWs(xml: string, i: number): number {
  while (i < xml.length && isWs(xml.charCodeAt(i))) i++;
  return i;
}

function onlyWs(xml: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isWs(xml.charCodeAt(i))) return false;
  return true;
}

function isNameChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x5f || // _
    c === 0x2d // -
  );
}

/**
 * `<!…>` that is neither a comment nor CDATA. DOCTYPE/ENTITY get their own code; they are found
 * here, at markup positions only, so a value whose CDATA merely contains the text `<!DOCTYPE`
 * (a product name, an attach) still parses, as it does at WeChat Pay.
 */
function refuseMarkup(xml: string, lt: number, where: string): never {
  DECLARATION_RE.lastIndex = lt;
  if (DECLARATION_RE.test(xml)) invalid('DOCTYPE and ENTITY declarations are not accepted', 'XML_DOCTYPE_FORBIDDEN');
  invalid(`unexpected markup ${where}`);
}

function skipComment(xml: string, lt: number): number {
  const end = xml.indexOf('-->', lt + 4);
  if (end < 0) invalid('truncated XML: comment is not closed');
  return end + 3;
}

/**
 * One pass over the exact shape `[<?xml …?>] <xml> (<name>text|CDATA</name> | <name/>)* </xml>`
 * (whitespace and comments allowed between elements) that also collects the values.
 *
 * Error precedence is structure, then entities, then duplicates: a structural error anywhere wins
 * (so a truncated document always reads as truncated), then the first bad entity or character
 * reference in document order, then the first duplicate field. `hasCr`/`hasAmp` say whether the
 * document contains a CR or an `&` at all, so the common document pays for neither pass.
 */
function scanFlatDocument(xml: string, hasCr: boolean, hasAmp: boolean): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  let entityError: WxPayXmlError | undefined;
  let duplicate: string | undefined;

  /** Decodes one run of character data (between two pieces of markup). */
  const decodeText = (raw: string): string => {
    const text = hasCr ? raw.replace(LINE_END_RE, '\n') : raw;
    if (!hasAmp || entityError !== undefined || !text.includes('&')) return text;
    try {
      return text.replace(ENTITY_RE, replaceEntity);
    } catch (err) {
      // Kept for after the scan: a structural error later in the document takes precedence.
      if (!(err instanceof WxPayXmlError)) throw err;
      entityError = err;
      return '';
    }
  };

  const len = xml.length;
  let i = skipWs(xml, xml.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (xml.startsWith('<?xml', i)) {
    // Only a real declaration: a bare scan to `?>` would let markup (a DOCTYPE) ride inside it.
    XML_DECLARATION_RE.lastIndex = i;
    if (!XML_DECLARATION_RE.test(xml)) invalid('malformed XML declaration');
    i = XML_DECLARATION_RE.lastIndex;
  }
  for (;;) {
    i = skipWs(xml, i);
    if (!xml.startsWith('<!--', i)) break;
    i = skipComment(xml, i);
  }
  if (xml.startsWith('<!', i)) refuseMarkup(xml, i, 'before the root element');
  if (!xml.startsWith('<xml', i)) invalid('root element must be <xml>');
  i = skipWs(xml, i + 4);
  if (xml.charCodeAt(i) !== GT) invalid('root element must be a plain <xml> tag');
  i++;

  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) invalid('truncated XML: </xml> is missing');
    if (!onlyWs(xml, i, lt)) invalid('text directly inside <xml>');
    const c = xml.charCodeAt(lt + 1);
    if (c === SLASH) {
      if (!xml.startsWith('xml', lt + 2)) invalid('mismatched closing tag for <xml>');
      let j = skipWs(xml, lt + 5);
      if (xml.charCodeAt(j) !== GT) invalid('mismatched closing tag for <xml>');
      j++;
      // Only whitespace and comments may follow the root: a second root or trailing text is refused.
      for (;;) {
        j = skipWs(xml, j);
        if (j === len) {
          if (entityError !== undefined) throw entityError;
          if (duplicate !== undefined) invalid(`duplicate field <${duplicate}>`, 'XML_DUPLICATE_FIELD');
          return out;
        }
        if (xml.startsWith('<!', j) && !xml.startsWith('<!--', j)) refuseMarkup(xml, j, 'after the root element');
        if (!xml.startsWith('<!--', j)) invalid('content after the root element');
        j = skipComment(xml, j);
      }
    }
    if (c === BANG) {
      if (!xml.startsWith('<!--', lt)) refuseMarkup(xml, lt, 'directly inside <xml>');
      i = skipComment(xml, lt);
      continue;
    }
    if (c === QUESTION) invalid('processing instructions are not accepted');

    // A field element.
    let n = lt + 1;
    while (n < len && isNameChar(xml.charCodeAt(n))) n++;
    const name = xml.slice(lt + 1, n);
    if (n >= len) invalid('truncated XML inside a tag');
    const after = xml.charCodeAt(n);
    if (name.length === 0 || !(after === GT || after === SLASH || isWs(after))) {
      invalid(`invalid XML element name near ${JSON.stringify(xml.slice(lt, Math.min(len, lt + 24)))}`, 'XML_BAD_NAME');
    }
    checkName(name);
    if (duplicate === undefined && out[name] !== undefined) duplicate = name;
    const j = skipWs(xml, n);
    if (xml.charCodeAt(j) === SLASH && xml.charCodeAt(j + 1) === GT) {
      out[name] ??= '';
      i = j + 2;
      continue;
    }
    if (xml.charCodeAt(j) !== GT) invalid(`element <${name}> must have no attributes`);
    i = j + 1;

    // Its content: text runs, CDATA sections and comments, then exactly </name>. The first piece
    // (usually the only one) is kept as is; more are joined once, never concatenated one by one.
    let first: string | undefined;
    let more: string[] | undefined;
    for (;;) {
      const next = xml.indexOf('<', i);
      if (next < 0) invalid(`truncated XML: <${name}> is not closed`);
      if (next > i) {
        const text = decodeText(xml.slice(i, next));
        if (first === undefined) first = text;
        else if (more === undefined) more = [first, text];
        else more.push(text);
      }
      const c2 = xml.charCodeAt(next + 1);
      if (c2 === SLASH) {
        if (!xml.startsWith(name, next + 2)) invalid(`mismatched closing tag for <${name}>`);
        const k = skipWs(xml, next + 2 + name.length);
        if (xml.charCodeAt(k) !== GT) invalid(`mismatched closing tag for <${name}>`);
        i = k + 1;
        break;
      }
      if (c2 === BANG) {
        if (xml.charCodeAt(next + 2) === LBRACKET && xml.startsWith('CDATA[', next + 3)) {
          const end = xml.indexOf(']]>', next + 9);
          if (end < 0) invalid(`truncated XML: CDATA in <${name}> is not closed`);
          // CDATA is verbatim: no entity decoding, only line-end handling.
          const raw = xml.slice(next + 9, end);
          const cdata = hasCr ? raw.replace(LINE_END_RE, '\n') : raw;
          if (first === undefined) first = cdata;
          else if (more === undefined) more = [first, cdata];
          else more.push(cdata);
          i = end + 3;
          continue;
        }
        if (xml.startsWith('<!--', next)) {
          // A comment separates two runs of text: an entity reference cannot span it.
          i = skipComment(xml, next);
          continue;
        }
        refuseMarkup(xml, next, `inside <${name}>`);
      }
      invalid(`nested element inside <${name}>: v2 documents are flat`, 'XML_TOO_DEEP');
    }
    // The first occurrence of a duplicated field keeps its value; the duplicate is refused anyway.
    out[name] ??= more === undefined ? (first ?? '') : more.join('');
  }
}

/**
 * Parses a flat v2 `<xml>` document into a null-prototype map of string values. Throws
 * `WxPayXmlError` for anything but that exact shape (see README for the codes).
 */
export function parseXml(xml: string): Record<string, string> {
  if (typeof xml !== 'string') invalid('XML body must be a string');
  if (ILLEGAL_CHAR_RE.test(xml) || (SURROGATE_RE.test(xml) && LONE_SURROGATE_RE.test(xml))) {
    invalid('document contains a character that XML does not allow', 'XML_ILLEGAL_CHAR');
  }
  return scanFlatDocument(xml, xml.includes('\r'), xml.includes('&'));
}
