import { SaxesParser, type SaxesTagPlain } from 'saxes';

/*
 * TEST ORACLE ONLY (never exported, never imported by src/): what a strict, well-formedness-checking
 * XML parser (saxes, not fast-xml-parser) plus the WeChat Pay v2 policy, written here on its own,
 * make of a document. It shares no code with the codec.
 *
 * It does not rank errors. A refused document yields every error code the oracle attributes to
 * it, and whether that list is complete: it is for illegal characters (checked first, alone) and
 * for documents saxes finds well-formed (after a
 * well-formedness error saxes recovers its own way, e.g. it closes every open element at an
 * unmatched closing tag and reads a bare `&` as a name up to the next `;`, so later faults go unseen).
 */

export type OracleOutcome =
  | { ok: true; fields: Record<string, string> }
  | { ok: false; codes: ReadonlySet<string>; complete: boolean };

/** Every name a plain object already answers to, plus `prototype`: computed, not listed. */
const PROTOTYPE_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

const ASCII_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const NAME_START = `${ASCII_LETTERS}_`;
const NAME_REST = `${NAME_START}0123456789-`;

function isWeChatName(name: string): boolean {
  return name.length > 0 && NAME_START.includes(name.charAt(0)) && [...name].every((ch) => NAME_REST.includes(ch));
}

function isAllowedCodePoint(cp: number): boolean {
  return cp === 9 || cp === 10 || cp === 13 || (cp >= 0x20 && cp < 0xd800) || (cp > 0xdfff && cp < 0xfffe) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** Code points XML 1.0 allows, walked one by one (a lone surrogate is its own code point). */
function hasNonXmlChar(text: string): boolean {
  for (const ch of text) if (!isAllowedCodePoint(ch.codePointAt(0) ?? 0)) return true;
  return false;
}

/** Names the codes of a saxes error from its message and the source text where it happened. */
function classifySaxesError(message: string, source: string, offset: number): string[] {
  if (message.includes('character entity')) {
    // A syntactically complete reference to a code point XML forbids is an illegal character.
    // saxes reports the position just after the reference.
    const amp = source.lastIndexOf('&', offset - 1);
    const ref = /^&#(?:x([0-9a-fA-F]+)|([0-9]+));/.exec(source.slice(amp));
    const cp = ref === null ? undefined : ref[1] !== undefined ? parseInt(ref[1], 16) : Number(ref[2]);
    return cp !== undefined && !isAllowedCodePoint(cp) ? ['XML_ILLEGAL_CHAR'] : ['XML_INVALID'];
  }
  if (message.endsWith('disallowed character.')) return ['XML_ILLEGAL_CHAR'];
  if (/tag name|closing tag\.$/.test(message)) return ['XML_BAD_NAME', 'XML_INVALID'];
  if (/incorrect syntax|doctype/i.test(message)) {
    const bang = source.lastIndexOf('<!', offset);
    const looksLikeDtd = bang >= 0 && /^<!\s*(doctype|entity)/i.test(source.slice(bang, bang + 40));
    return looksLikeDtd ? ['XML_DOCTYPE_FORBIDDEN', 'XML_INVALID'] : ['XML_INVALID'];
  }
  return ['XML_INVALID'];
}

interface Reading {
  codes: Set<string>;
  fields: Map<string, string>;
  wellFormed: boolean;
}

function read(xml: string): Reading {
  const codes = new Set<string>();
  const fields = new Map<string, string>();
  const open: string[] = [];
  let roots = 0;
  let wellFormed = true;
  let value: string[] = [];

  const parser = new SaxesParser({ xmlns: false, position: true, defaultXMLVersion: '1.0', forceXMLVersion: true });
  parser.on('error', (err) => {
    wellFormed = false;
    for (const code of classifySaxesError(err.message, xml, parser.position)) codes.add(code);
  });
  parser.on('xmldecl', (decl) => {
    // UTF-8, also spelled utf8 by some SDKs.
    if (decl.encoding !== undefined && !['UTF-8', 'UTF8'].includes(decl.encoding.toUpperCase())) codes.add('XML_INVALID');
  });
  parser.on('doctype', () => codes.add('XML_DOCTYPE_FORBIDDEN'));
  parser.on('processinginstruction', () => codes.add(open.length >= 2 ? 'XML_TOO_DEEP' : 'XML_INVALID'));
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const depth = open.length;
    if (!isWeChatName(tag.name)) codes.add('XML_BAD_NAME');
    if (PROTOTYPE_NAMES.has(tag.name)) codes.add('XML_FORBIDDEN_NAME');
    if (Object.keys(tag.attributes).length > 0) codes.add('XML_INVALID');
    if (depth === 0) {
      roots++;
      if (tag.name !== 'xml' || roots > 1) codes.add('XML_INVALID');
    } else if (depth === 1) {
      value = [];
    } else {
      codes.add('XML_TOO_DEEP');
    }
    open.push(tag.name);
  });
  const onCharacterData = (kind: 'text' | 'cdata') => (data: string) => {
    if (open.length === 2) value.push(data);
    else if (open.length === 1 && (kind === 'cdata' || data.trim().length > 0)) codes.add('XML_INVALID');
  };
  parser.on('text', onCharacterData('text'));
  parser.on('cdata', onCharacterData('cdata'));
  parser.on('closetag', (tag) => {
    open.pop();
    if (open.length !== 1) return;
    if (fields.has(tag.name)) codes.add('XML_DUPLICATE_FIELD');
    else fields.set(tag.name, value.join(''));
  });

  try {
    parser.write(xml).close();
  } catch {
    // saxes throws only when its error handler cannot take the error: still a refusal.
    wellFormed = false;
    codes.add('XML_INVALID');
  }
  if (roots === 0) codes.add('XML_INVALID');
  return { codes, fields, wellFormed };
}

export function saxesOracle(xml: unknown): OracleOutcome {
  if (typeof xml !== 'string') return { ok: false, codes: new Set(['XML_INVALID']), complete: true };
  // A document XML cannot carry is refused as such, whatever else is wrong with it.
  if (hasNonXmlChar(xml)) return { ok: false, codes: new Set(['XML_ILLEGAL_CHAR']), complete: true };
  const { codes, fields, wellFormed } = read(xml);
  return codes.size === 0 ? { ok: true, fields: Object.fromEntries(fields) } : { ok: false, codes, complete: wellFormed };
}
