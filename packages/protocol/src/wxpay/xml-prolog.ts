import { WxPayXmlError } from './errors';

/*
 * What the policy layer checks before fast-xml-parser sees a document: the XML declaration (which
 * it would read as a processing instruction) and every markup declaration (`<!DOCTYPE`,
 * `<!ENTITY`, `<!ELEMENT`…), which it would otherwise read and act on (a DOCTYPE's internal
 * entities are expanded by default). Comments and CDATA sections are skipped, so a value whose
 * CDATA merely contains the text `<!DOCTYPE` (a product name, an attach) still parses, as it does
 * at WeChat Pay.
 */

/** `<?xml version="1.x" [encoding="UTF-8"] [standalone="yes|no"]?>`: the strings are already decoded text. */
const XML_DECLARATION_RE =
  /^<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1(?:\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>/;
const ENCODING_RE = /\sencoding\s*=\s*["']([^"']*)["']/;
/** `UTF-8`, and `utf8`, which some SDKs write. */
const UTF8_RE = /^utf-?8$/i;
/** `<!DOCTYPE` or `<!ENTITY` (any case, blanks allowed after `<!`) at the start of the input. */
const DECLARATION_RE = /^<!\s*(?:DOCTYPE|ENTITY)/i;

function refuse(message: string, code = 'XML_INVALID'): never {
  throw new WxPayXmlError(code, message);
}

/**
 * Returns where the document proper starts (after a BOM and a well-formed, UTF-8 XML declaration)
 * and refuses any markup declaration or malformed comment in it.
 */
export function checkProlog(xml: string): number {
  let start = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (xml.startsWith('<?xml', start)) {
    // Only a real declaration: a bare scan to `?>` would let markup (a DOCTYPE) ride inside it.
    const declaration = XML_DECLARATION_RE.exec(start === 0 ? xml : xml.slice(start, start + 256))?.[0];
    if (declaration === undefined) refuse('malformed XML declaration');
    const encoding = ENCODING_RE.exec(declaration)?.[1];
    if (encoding !== undefined && !UTF8_RE.test(encoding)) refuse(`XML encoding ${JSON.stringify(encoding)} is not UTF-8`);
    start += declaration.length;
  }
  refuseMarkupDeclarations(xml, start);
  return start;
}

function refuseMarkupDeclarations(xml: string, from: number): void {
  for (let lt = xml.indexOf('<!', from); lt >= 0; ) {
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) return; // truncated: the parser reports it
      // XML 1.0 §2.5: `--` never appears inside a comment (strict parsers refuse it).
      const dashes = xml.indexOf('--', lt + 4);
      if (dashes < end || (end > lt + 4 && xml.charCodeAt(end - 1) === 0x2d)) refuse('"--" inside a comment');
      lt = xml.indexOf('<!', end + 3);
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      if (end < 0) return;
      lt = xml.indexOf('<!', end + 3);
    } else {
      if (DECLARATION_RE.test(xml.slice(lt, lt + 64))) refuse('DOCTYPE and ENTITY declarations are not accepted', 'XML_DOCTYPE_FORBIDDEN');
      refuse('markup declarations are not accepted');
    }
  }
}
