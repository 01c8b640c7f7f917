import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * WeChat Pay parses the merchant's answer to a notification: any well-formed XML document whose
 * root is `<xml>` and whose return_code is SUCCESS (plain text or CDATA) is an acknowledgement,
 * with or without an XML declaration, return_msg, indentation or surrounding whitespace. This is
 * the emulator's own reading, independent of the protocol package the BFF uses.
 */
const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  processEntities: false,
  trimValues: false,
});

export function isNotifyAck(body: string): boolean {
  // A document type declaration is never part of an answer; refusing it keeps entities out.
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) return false;
  if (XMLValidator.validate(body) !== true) return false;
  const document: unknown = parser.parse(body);
  if (typeof document !== 'object' || document === null) return false;
  const roots = Object.keys(document).filter((name) => name !== '#text');
  if (roots.length !== 1 || roots[0] !== 'xml') return false;
  const root: unknown = (document as Record<string, unknown>).xml;
  if (typeof root !== 'object' || root === null) return false;
  return (root as Record<string, unknown>).return_code === 'SUCCESS';
}

/** The documented example answer, byte for byte: what the opt-in strict mode insists on. */
export function isExactNotifyAck(body: string, documented: string): boolean {
  return body.trim() === documented;
}
