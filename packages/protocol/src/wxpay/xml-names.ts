import { WxPayXmlError } from './errors';

/**
 * Names that reach an object's prototype machinery: every own name of `Object.prototype`, and
 * `prototype`. fast-xml-parser throws on three of them and renames others (`toString` →
 * `__toString`), which would change the signed field set, so all are refused outright (WeChat
 * uses none).
 */
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** ASCII subset of XML names: what WeChat uses, nothing that needs namespaces. */
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Names already checked: the same few dozen wire names are built and parsed over and over. Bounded. */
const knownGoodNames = new Set<string>();

/** Throws `XML_BAD_NAME` or `XML_FORBIDDEN_NAME` unless `name` may be a v2 element name. */
export function checkName(name: string): void {
  if (knownGoodNames.has(name)) return;
  if (!NAME_RE.test(name)) {
    throw new WxPayXmlError('XML_BAD_NAME', `invalid XML element name ${JSON.stringify(name.slice(0, 40))}`);
  }
  if (FORBIDDEN_NAMES.has(name)) {
    throw new WxPayXmlError('XML_FORBIDDEN_NAME', `forbidden XML element name ${JSON.stringify(name)}`);
  }
  if (knownGoodNames.size < 1024) knownGoodNames.add(name);
}
