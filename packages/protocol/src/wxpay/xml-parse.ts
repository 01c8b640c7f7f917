import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';
import { WxPayXmlError } from './errors';
import { hasIllegalChar } from './xml-chars';
import { isWellFormedFlatDocument } from './xml-flat-shape';
import { checkName } from './xml-names';
import { checkProlog } from './xml-prolog';
import { strictReferenceDecoder, takeReferenceError } from './xml-references';

/*
 * v2 documents are read by fast-xml-parser, configured for WeChat Pay's flat shape, inside a thin
 * policy layer. Before it: characters (XML Char, UTF-8 encodable), the declaration and markup
 * declarations (xml-prolog.ts). During its pass, through its hooks, in document order: names,
 * nesting, attributes, roots, processing instructions, references (xml-references.ts). After it:
 * its own validator for well-formedness (the parser alone accepts mismatched closing tags and
 * truncated documents), skipped when the document's flat shape already proves it
 * (xml-flat-shape.ts), then the field map with duplicates refused.
 *
 * Error precedence: illegal characters; the declaration, markup declarations and malformed
 * comments; then structure (names, nesting, attributes, roots, processing instructions in
 * document order, then well-formedness); then the first bad reference; then duplicate fields.
 */

const TEXT = '#text';
const CDATA = '#cdata';
const COMMENT = '#comment';

function invalid(message: string, code = 'XML_INVALID'): never {
  throw new WxPayXmlError(code, message);
}

/** The matcher fast-xml-parser hands its hooks when `jPath` is false; only its depth is read. */
interface Depth {
  getDepth(): number;
}

let rootSeen = false;

/**
 * Every tag name, opening and closing, before fast-xml-parser stores it (`<a/>` arrives as `a/`).
 * An empty name (`< a>`, `</>`) is left to the validator: it is malformed markup, not a name.
 */
function checkTagName(name: string): string {
  const bare = name.endsWith('/') ? name.slice(0, -1) : name;
  if (bare !== '') checkName(bare);
  return name;
}

/** Every element and processing instruction as it is added to the tree. */
function checkTag(name: string, matcher: unknown, attrs: Record<string, unknown>): string {
  const depth = (matcher as Depth).getDepth();
  if (name.startsWith('?')) {
    // A processing instruction is not pushed on the path: inside a field it is nested content.
    invalid('processing instructions are not accepted', depth >= 2 ? 'XML_TOO_DEEP' : 'XML_INVALID');
  }
  if (depth > 2) invalid(`nested element <${name}>: v2 documents are flat`, 'XML_TOO_DEEP');
  for (const attribute in attrs) invalid(`element <${name}> must have no attributes (${attribute.slice(0, 40)})`);
  if (depth === 1) {
    if (name !== 'xml') invalid('root element must be <xml>');
    if (rootSeen) invalid('content after the root element');
    rootSeen = true;
  }
  return name;
}

const options: X2jOptions = {
  // An ordered node list: no object merging (faster), repeated fields stay apart for the duplicate check.
  preserveOrder: true,
  // Every value a string, whitespace kept: total_fee "1", a 28-digit transaction_id intact.
  parseTagValue: false,
  trimValues: false,
  // Read so that checkTag can refuse them.
  ignoreAttributes: false,
  allowBooleanAttributes: false,
  // Any `<?xml` reaching the parser is misplaced (checkProlog consumed the real one): refused.
  ignoreDeclaration: false,
  ignorePiTags: false,
  processEntities: true,
  entityDecoder: strictReferenceDecoder,
  htmlEntities: false,
  // Separate nodes: CDATA is verbatim, and a comment ends a run of text (a reference cannot span one).
  cdataPropName: CDATA,
  commentPropName: COMMENT,
  textNodeName: TEXT,
  transformTagName: checkTagName,
  updateTag: checkTag,
  // Backstop only: checkTag refuses the first nested element.
  maxNestedTags: 3,
  // Hooks get the path matcher instead of a path string built for every tag.
  jPath: false,
};

/** One instance, reused: building the options once is most of what a new parser costs. */
const parser = new XMLParser(options);

type Node = Record<string, unknown>;

/** The value of one field: its text and CDATA pieces in order, comments dropped. */
function fieldValue(name: string, parts: Node[]): string {
  let value = '';
  for (const part of parts) {
    const text = part[TEXT];
    if (typeof text === 'string') value += text;
    else if (Array.isArray(part[CDATA])) value += ((part[CDATA] as Node[])[0]?.[TEXT] as string | undefined) ?? '';
    else if (!(COMMENT in part)) invalid(`field <${name}> is not a plain value`, 'XML_TOO_DEEP');
  }
  return value;
}

/** Text outside the root: fast-xml-parser drops it and its validator lets `&name;` through there. */
function refuseTextOutsideRoot(body: string, doc: Node[]): void {
  const tail = body.slice(body.lastIndexOf('>') + 1);
  const stray = tail.trim() !== '' || doc.some((node) => typeof node[TEXT] === 'string' && (node[TEXT]).trim() !== '');
  if (stray) invalid('content after the root element');
}

function collectFields(doc: Node[]): Record<string, string> {
  const root = doc.find((node) => 'xml' in node)?.xml;
  if (!Array.isArray(root)) invalid('root element must be <xml>');
  const out = Object.create(null) as Record<string, string>;
  let duplicate: string | undefined;
  for (const child of root as Node[]) {
    const text = child[TEXT];
    if (typeof text === 'string') {
      if (text.trim() !== '') invalid('text directly inside <xml>');
      continue;
    }
    if (COMMENT in child) continue;
    if (CDATA in child) invalid('CDATA directly inside <xml>');
    const name = Object.keys(child)[0] ?? '';
    const value = fieldValue(name, child[name] as Node[]);
    if (out[name] === undefined) out[name] = value;
    else duplicate ??= name;
  }
  const referenceError = takeReferenceError();
  if (referenceError !== undefined) throw referenceError;
  if (duplicate !== undefined) invalid(`duplicate field <${duplicate}>`, 'XML_DUPLICATE_FIELD');
  return out;
}

function parseTree(body: string): Node[] {
  rootSeen = false;
  try {
    return parser.parse(body) as Node[];
  } catch (err) {
    takeReferenceError();
    if (err instanceof WxPayXmlError) throw err;
    const message = (err as Error).message;
    if (message.startsWith('Maximum nested tags')) invalid('nested elements: v2 documents are flat', 'XML_TOO_DEEP');
    throw new WxPayXmlError('XML_INVALID', `malformed XML: ${message.slice(0, 120)}`, undefined, { cause: err });
  }
}

/**
 * Parses a flat v2 `<xml>` document into a null-prototype map of string values. Throws
 * `WxPayXmlError` for anything but that exact shape (see README for the codes).
 */
export function parseXml(xml: string): Record<string, string> {
  if (typeof xml !== 'string') invalid('XML body must be a string');
  if (hasIllegalChar(xml)) invalid('document contains a character that XML does not allow', 'XML_ILLEGAL_CHAR');
  const start = checkProlog(xml);
  const body = start === 0 ? xml : xml.slice(start);
  const doc = parseTree(body);
  const wellFormed = isWellFormedFlatDocument(body) || XMLValidator.validate(body);
  if (wellFormed !== true) {
    takeReferenceError();
    invalid(`malformed XML: ${wellFormed.err.msg.slice(0, 120)}`);
  }
  refuseTextOutsideRoot(body, doc);
  return collectFields(doc);
}
