import { XMLParser, type EntityDecoderOptions } from 'fast-xml-parser';
import { WxPayXmlError } from '../../src/wxpay/errors';

/*
 * TEST ORACLE ONLY: the earlier v2 parser (strict scan, then fast-xml-parser
 * extracts the values), an independent implementation so xml-codec.differential.test.ts can compare the
 * single-pass parser in xml-codec.ts against it. Not exported from the package; nothing else may
 * import it (fast-xml-parser is a devDependency for this file alone).
 *
 * One switch, `commentsEndText`, encodes the single deliberate change: the old parser joined the
 * text on both sides of a comment before decoding entities, so `&am<!---->p;` read as `&`; XML
 * (and the new parser) treats a comment as markup that ends a run of text, so that is an
 * unterminated reference. With the switch on, fast-xml-parser reports comments as nodes, which
 * flushes the text before them, and collectFields skips them.
 */

/**
 * Names that reach an object's prototype machinery. fast-xml-parser throws on the first three and
 * silently renames the rest (`toString` → `__toString`), which would change the signed field set,
 * so all of them are refused outright (WeChat uses none).
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

/** Characters outside the XML 1.0 Char production (lone surrogates are checked separately). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ILLEGAL_CHAR_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const SURROGATE_RE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

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

// ---------------------------------------------------------------------------------------------
// Parsing

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ENTITY_RE = /&(?:#x([0-9A-Fa-f]{1,8});|#([0-9]{1,10});|(lt|gt|amp|quot|apos);)?/g;

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

/**
 * Text (not CDATA) decoding: the five predefined entities and numeric character references.
 * Anything else (a bare `&`, `&nbsp;`, a declared entity) is an error, never passed through.
 */
const strictEntityDecoder: EntityDecoderOptions = {
  decode: (text) => (text.includes('&') ? text.replace(ENTITY_RE, replaceEntity) : text),
  reset: () => undefined,
  setXmlVersion: () => undefined,
  setExternalEntities: () => {
    throw new WxPayXmlError('XML_DOCTYPE_FORBIDDEN', 'external entities are not accepted');
  },
  addInputEntities: (entities) => {
    if (Object.keys(entities).length > 0) {
      throw new WxPayXmlError('XML_DOCTYPE_FORBIDDEN', 'entity declarations are not accepted');
    }
  },
};

const parserOptions = {
  parseTagValue: false,
  trimValues: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  processEntities: true,
  entityDecoder: strictEntityDecoder,
  jPath: false,
  // The ordered node list skips fast-xml-parser's object merging (measurably faster) and keeps
  // repeated fields apart, so duplicates are found by us rather than merged into arrays.
  preserveOrder: true,
};
const parser = new XMLParser(parserOptions);
const COMMENT = '#comment';
const commentsEndTextParser = new XMLParser({ ...parserOptions, commentPropName: COMMENT });

/** `<?xml version="1.x" [encoding="…"] [standalone="yes|no"]?>` */
const XML_DECLARATION_RE =
  /<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1(?:\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>/y;

/** A declaration at markup position `lt` (`<!DOCTYPE`, `<!ENTITY`, any case). */
const DECLARATION_RE = /<!\s*(?:DOCTYPE|ENTITY)/iy;

const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;

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
 * Checks the exact shape `[<?xml …?>] <xml> (<name>text|CDATA</name> | <name/>)* </xml>` with
 * optional whitespace and comments between elements. Returns nothing: fast-xml-parser extracts the
 * values afterwards, knowing the structure is sound.
 */
function checkFlatDocument(xml: string): void {
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
        if (j === len) return;
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
    const j = skipWs(xml, n);
    if (xml.charCodeAt(j) === SLASH && xml.charCodeAt(j + 1) === GT) {
      i = j + 2;
      continue;
    }
    if (xml.charCodeAt(j) !== GT) invalid(`element <${name}> must have no attributes`);
    i = j + 1;

    // Its content: text, CDATA sections and comments, then exactly </name>.
    for (;;) {
      const next = xml.indexOf('<', i);
      if (next < 0) invalid(`truncated XML: <${name}> is not closed`);
      const c2 = xml.charCodeAt(next + 1);
      if (c2 === SLASH) {
        if (!xml.startsWith(name, next + 2)) invalid(`mismatched closing tag for <${name}>`);
        const k = skipWs(xml, next + 2 + name.length);
        if (xml.charCodeAt(k) !== GT) invalid(`mismatched closing tag for <${name}>`);
        i = k + 1;
        break;
      }
      if (c2 === BANG) {
        if (xml.startsWith('<![CDATA[', next)) {
          const end = xml.indexOf(']]>', next + 9);
          if (end < 0) invalid(`truncated XML: CDATA in <${name}> is not closed`);
          i = end + 3;
          continue;
        }
        if (xml.startsWith('<!--', next)) {
          i = skipComment(xml, next);
          continue;
        }
        refuseMarkup(xml, next, `inside <${name}>`);
      }
      invalid(`nested element inside <${name}>: v2 documents are flat`, 'XML_TOO_DEEP');
    }
  }
}

/**
 * Parses a flat v2 `<xml>` document into a null-prototype map of string values. Throws
 * `WxPayXmlError` for anything but that exact shape (see README for the codes).
 */
export function parseXmlReference(xml: string, { commentsEndText = false } = {}): Record<string, string> {
  if (typeof xml !== 'string') invalid('XML body must be a string');
  if (ILLEGAL_CHAR_RE.test(xml) || (SURROGATE_RE.test(xml) && LONE_SURROGATE_RE.test(xml))) {
    invalid('document contains a character that XML does not allow', 'XML_ILLEGAL_CHAR');
  }
  // Refuses DOCTYPE/ENTITY (and any other markup) before fast-xml-parser, which would expand entities, sees the text.
  checkFlatDocument(xml);

  let doc: unknown;
  try {
    doc = (commentsEndText ? commentsEndTextParser : parser).parse(xml);
  } catch (err) {
    if (err instanceof WxPayXmlError) throw err;
    throw new WxPayXmlError('XML_INVALID', `malformed XML: ${(err as Error).message}`, undefined, { cause: err });
  }
  return collectFields(doc);
}

type OrderedNode = Record<string, unknown>;

/** Turns fast-xml-parser's ordered node list for `<xml>…</xml>` into the field map. */
function collectFields(doc: unknown): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  const rootNode = Array.isArray(doc) ? (doc as OrderedNode[]).find((node) => 'xml' in node) : undefined;
  const children = rootNode?.xml;
  if (!Array.isArray(children)) invalid('root element must be <xml>');
  for (const child of children as OrderedNode[]) {
    const names = Object.keys(child);
    const name = names[0];
    if (names.length !== 1 || name === undefined) invalid('unexpected node inside <xml>');
    if (name === '#text' || name === COMMENT) continue; // whitespace between fields (the scan refused anything else)
    if (name in out) invalid(`duplicate field <${name}>`, 'XML_DUPLICATE_FIELD');
    const parts = child[name];
    if (!Array.isArray(parts)) invalid(`field <${name}> is not a plain value`);
    let value = '';
    for (const part of parts as OrderedNode[]) {
      if (COMMENT in part) continue;
      const text = part['#text'];
      if (typeof text !== 'string' || Object.keys(part).length !== 1) invalid(`field <${name}> is not a plain value`, 'XML_TOO_DEEP');
      value += text;
    }
    out[name] = value;
  }
  return out;
}
