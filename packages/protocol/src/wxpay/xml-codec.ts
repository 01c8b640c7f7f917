/*
 * The v2 wire format: one flat document, `<xml>` root, one child element per field, string
 * values. Read and written by fast-xml-parser (xml-parse.ts, xml-build.ts) inside the policy
 * WeChat Pay needs.
 */
export { buildXml } from './xml-build';
export { parseXml } from './xml-parse';
