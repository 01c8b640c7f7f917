import type { EntityDecoderOptions } from 'fast-xml-parser';
import { WxPayXmlError } from './errors';
import { isXmlChar } from './xml-chars';

/*
 * fast-xml-parser's entity decoder, replaced: text decodes the five predefined entities and
 * numeric character references, nothing else (a bare `&`, `&nbsp;`, a declared entity are errors,
 * never passed through), and the DTD hooks refuse instead of registering entities.
 *
 * The first error is kept rather than thrown: a structural error later in the document takes
 * precedence (a truncated document always reads as truncated), so the parser finishes its pass
 * and `takeReferenceError` hands the error over afterwards.
 */

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/** A reference, or a lone `&` (the empty alternative) that is an error. */
const REFERENCE_RE = /&(?:#x([0-9A-Fa-f]+);|#([0-9]+);|(lt|gt|amp|quot|apos);)?/g;

let pending: WxPayXmlError | undefined;

function replaceReference(match: string, hex?: string, dec?: string, named?: string): string {
  if (named !== undefined) return PREDEFINED[named] ?? match;
  const digits = hex ?? dec;
  if (digits === undefined) throw new WxPayXmlError('XML_INVALID', 'unescaped "&" or unknown entity in text');
  const cp = Number.parseInt(digits, hex === undefined ? 10 : 16);
  if (!isXmlChar(cp)) {
    throw new WxPayXmlError('XML_ILLEGAL_CHAR', `character reference ${match.slice(0, 24)} is not an XML character`);
  }
  return String.fromCodePoint(cp);
}

function decode(text: string): string {
  if (pending !== undefined) return '';
  // XML 1.0 §2.4: `]]>` cannot appear in character data (only as the end of a CDATA section).
  if (text.includes(']]>')) {
    pending = new WxPayXmlError('XML_INVALID', '"]]>" outside a CDATA section');
    return '';
  }
  if (!text.includes('&')) return text;
  try {
    return text.replace(REFERENCE_RE, replaceReference);
  } catch (err) {
    if (!(err instanceof WxPayXmlError)) throw err;
    pending = err;
    return '';
  }
}

export const strictReferenceDecoder: EntityDecoderOptions = {
  decode,
  reset: () => {
    pending = undefined;
  },
  setXmlVersion: () => undefined,
  setExternalEntities: () => {
    throw new WxPayXmlError('XML_DOCTYPE_FORBIDDEN', 'external entities are not accepted');
  },
  addInputEntities: () => {
    throw new WxPayXmlError('XML_DOCTYPE_FORBIDDEN', 'entity declarations are not accepted');
  },
};

/** The first bad reference of the last parse, if any (and forgets it). */
export function takeReferenceError(): WxPayXmlError | undefined {
  const error = pending;
  pending = undefined;
  return error;
}
