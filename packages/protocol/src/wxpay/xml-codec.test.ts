import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../testing/official-vectors.json';
import { WxPayXmlError } from './errors';
import { buildXml, parseXml } from './xml-codec';

function xmlError(fn: () => unknown): WxPayXmlError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WxPayXmlError);
    return err as WxPayXmlError;
  }
  throw new Error('expected a WxPayXmlError');
}

const codeOf = (xml: string): string => xmlError(() => parseXml(xml)).code;

describe('buildXml', () => {
  it('writes plain values as text and the official ack shape with CDATA', () => {
    expect(buildXml({ return_code: 'SUCCESS', total_fee: '1' })).toBe(
      '<xml><return_code>SUCCESS</return_code><total_fee>1</total_fee></xml>',
    );
  });

  it('wraps values with markup characters in CDATA and splits ]]>', () => {
    expect(buildXml({ a: 'x<y' })).toBe('<xml><a><![CDATA[x<y]]></a></xml>');
    expect(buildXml({ a: `"'&` })).toBe(`<xml><a><![CDATA["'&]]></a></xml>`);
    expect(buildXml({ a: 'a]]>b' })).toBe('<xml><a><![CDATA[a]]]]><![CDATA[>b]]></a></xml>');
  });

  it('writes CR as &#xD; inside and outside CDATA', () => {
    expect(buildXml({ a: 'x\r\ny' })).toBe('<xml><a>x&#xD;\ny</a></xml>');
    expect(buildXml({ a: '<\r' })).toBe('<xml><a><![CDATA[<]]>&#xD;<![CDATA[]]></a></xml>');
  });

  it('refuses XML-illegal characters', () => {
    for (const bad of ['\u0000', 'a\u0001', '\u000B', '\uFFFE', '\uD800', 'x\uDC00y']) {
      expect(xmlError(() => buildXml({ a: bad })).code).toBe('XML_ILLEGAL_CHAR');
    }
    expect(buildXml({ a: '\t\n😀' })).toBe('<xml><a>\t\n😀</a></xml>');
  });

  it('refuses invalid and forbidden element names', () => {
    for (const bad of ['', '1a', 'a b', 'a>', 'x:y', '<a', 'ä']) {
      expect(xmlError(() => buildXml({ [bad]: 'v' })).code).toBe('XML_BAD_NAME');
    }
    for (const bad of ['constructor', 'prototype']) {
      expect(xmlError(() => buildXml({ [bad]: 'v' })).code).toBe('XML_FORBIDDEN_NAME');
    }
    const proto = JSON.parse('{"__proto__":"v"}') as Record<string, string>;
    expect(xmlError(() => buildXml(proto)).code).toBe('XML_FORBIDDEN_NAME');
  });

  it('refuses non-string values', () => {
    expect(xmlError(() => buildXml({ total_fee: 1 } as unknown as Record<string, string>)).code).toBe('XML_INVALID');
  });
});

describe('parseXml', () => {
  it('parses the official ack', () => {
    expect({ ...parseXml(vectors.notificationAck) }).toEqual({ return_code: 'SUCCESS', return_msg: 'OK' });
  });

  it('keeps every value a string, including a 28-digit transaction_id and leading zeros', () => {
    const fields = parseXml(
      '<xml><transaction_id>4200001234202411250123456789</transaction_id><total_fee>1</total_fee><x>007</x><y>1e3</y><z>true</z></xml>',
    );
    expect(fields.transaction_id).toBe('4200001234202411250123456789');
    expect(fields.total_fee).toBe('1');
    expect(fields.x).toBe('007');
    expect(fields.y).toBe('1e3');
    expect(fields.z).toBe('true');
  });

  it('returns a null-prototype object', () => {
    const fields = parseXml('<xml><a>1</a></xml>');
    expect(Object.getPrototypeOf(fields)).toBeNull();
    expect(Object.keys(fields)).toEqual(['a']);
  });

  it('keeps CDATA whitespace and text whitespace, and does not decode entities inside CDATA', () => {
    const fields = parseXml('<xml><a><![CDATA[  spaced  ]]></a><b>  t  </b><c><![CDATA[&amp;]]></c><d></d><e/></xml>');
    expect({ ...fields }).toEqual({ a: '  spaced  ', b: '  t  ', c: '&amp;', d: '', e: '' });
  });

  it('decodes numeric character references and the five predefined entities', () => {
    const fields = parseXml('<xml><a>&#x41;&#66;&#xD;&#x1F600;</a><b>&lt;&gt;&amp;&quot;&apos;</b></xml>');
    expect(fields.a).toBe('AB\r😀');
    expect(fields.b).toBe(`<>&"'`);
  });

  it('accepts a declaration, whitespace, comments and mixed CDATA/text', () => {
    const xml = '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- c -->\n<xml>\n  <a>x<![CDATA[<y>]]>z</a>\r\n  <!-- c --><b>1</b>\n</xml>\n';
    expect({ ...parseXml(xml) }).toEqual({ a: 'x<y>z', b: '1' });
    expect({ ...parseXml('<xml></xml>') }).toEqual({});
    for (const declaration of ['<?xml version="1.0"?>', "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>", '<?xml  version = "1.1"\n encoding="UTF-8"?>']) {
      expect({ ...parseXml(`${declaration}<xml><a>1</a></xml>`) }).toEqual({ a: '1' });
    }
  });

  it('refuses DOCTYPE and ENTITY before parsing', () => {
    expect(codeOf('<!DOCTYPE xml [<!ENTITY x "y">]><xml><a>&x;</a></xml>')).toBe('XML_DOCTYPE_FORBIDDEN');
    expect(codeOf('<?xml version="1.0"?><!doctype xml><xml/>')).toBe('XML_DOCTYPE_FORBIDDEN');
    expect(codeOf('<xml><a><![CDATA[x]]></a><!ENTITY y "z"></xml>')).toBe('XML_DOCTYPE_FORBIDDEN');
    expect(codeOf('<!-- c --> <!DOCTYPE xml SYSTEM "http://x/y.dtd"><xml/>')).toBe('XML_DOCTYPE_FORBIDDEN');
    expect(codeOf('<xml><a>x<! ENTITY y "z"></a></xml>')).toBe('XML_DOCTYPE_FORBIDDEN');
    expect(codeOf('<xml></xml><!DOCTYPE xml>')).toBe('XML_DOCTYPE_FORBIDDEN');
    // Markup smuggled inside something that starts like the XML declaration.
    expect(codeOf('<?xml <!DOCTYPE x [<!ENTITY a "b">]>?><xml><a>1</a></xml>')).toBe('XML_INVALID');
    expect(codeOf('<?xml-stylesheet href="x"?><xml><a>1</a></xml>')).toBe('XML_INVALID');
    expect(codeOf('<?xml version="1.0"')).toBe('XML_INVALID');
  });

  it('accepts CDATA or comment text that merely reads like a declaration (a product name, an attach)', () => {
    const fields = { body: '说明 <!DOCTYPE html> 与 <!ENTITY x "y">', attach: '<!doctype' };
    expect({ ...parseXml(buildXml(fields)) }).toEqual(fields);
    expect({ ...parseXml('<xml><!-- <!DOCTYPE x> --><a>1</a></xml>') }).toEqual({ a: '1' });
  });

  it('refuses undeclared, HTML and malformed entities and bare ampersands', () => {
    expect(codeOf('<xml><a>&nbsp;</a></xml>')).toBe('XML_INVALID');
    expect(codeOf('<xml><a>a & b</a></xml>')).toBe('XML_INVALID');
    expect(codeOf('<xml><a>&#x41</a></xml>')).toBe('XML_INVALID');
    expect(codeOf('<xml><a>&#0;</a></xml>')).toBe('XML_ILLEGAL_CHAR');
    expect(codeOf('<xml><a>&#xD800;</a></xml>')).toBe('XML_ILLEGAL_CHAR');
    expect(codeOf('<xml><a>&#x110000;</a></xml>')).toBe('XML_ILLEGAL_CHAR');
  });

  it('refuses XML-illegal characters in the document', () => {
    expect(codeOf('<xml><a>\u0001</a></xml>')).toBe('XML_ILLEGAL_CHAR');
    expect(codeOf('<xml><a><![CDATA[\uD800]]></a></xml>')).toBe('XML_ILLEGAL_CHAR');
  });

  it('refuses mismatched, truncated and two-root documents and trailing content', () => {
    expect(codeOf('<xml><a>1</b></xml>')).toBe('XML_INVALID');
    expect(codeOf('<xml><a>1</ab></xml>')).toBe('XML_INVALID');
    expect(codeOf('<xml><a>1</a></xm>')).toBe('XML_INVALID');
    expect(codeOf('<xml><a>1</a>')).toBe('XML_INVALID');
    expect(codeOf('<xml><a>1')).toBe('XML_INVALID');
    expect(codeOf('<xml><a><![CDATA[1</a></xml>')).toBe('XML_INVALID');
    expect(codeOf('<xml><a>1</a></xml')).toBe('XML_INVALID');
    expect(codeOf('<xml><a>1</a></xml><xml><b>2</b></xml>')).toBe('XML_INVALID');
    expect(codeOf('<xml><a>1</a></xml>trailing')).toBe('XML_INVALID');
    expect(codeOf('<root><a>1</a></root>')).toBe('XML_INVALID');
    expect(codeOf('<xml>text<a>1</a></xml>')).toBe('XML_INVALID');
    expect(codeOf('')).toBe('XML_INVALID');
    expect(codeOf('{"return_code":"SUCCESS"}')).toBe('XML_INVALID');
    expect(codeOf('<xml><a x="1">1</a></xml>')).toBe('XML_INVALID');
    expect(codeOf('<xml><?pi x?><a>1</a></xml>')).toBe('XML_INVALID');
  });

  it('refuses __proto__, constructor and prototype elements', () => {
    expect(codeOf('<xml><__proto__><polluted>1</polluted></__proto__></xml>')).toBe('XML_FORBIDDEN_NAME');
    expect(codeOf('<xml><__proto__>1</__proto__></xml>')).toBe('XML_FORBIDDEN_NAME');
    expect(codeOf('<xml><constructor>1</constructor></xml>')).toBe('XML_FORBIDDEN_NAME');
    expect(codeOf('<xml><prototype>1</prototype></xml>')).toBe('XML_FORBIDDEN_NAME');
    // fast-xml-parser would silently rename these to __toString etc., changing the signed set.
    for (const name of ['toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', '__lookupSetter__']) {
      expect(codeOf(`<xml><${name}>1</${name}></xml>`)).toBe('XML_FORBIDDEN_NAME');
      expect(xmlError(() => buildXml({ [name]: '1' })).code).toBe('XML_FORBIDDEN_NAME');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses bad element names', () => {
    expect(codeOf('<xml><1a>1</1a></xml>')).toBe('XML_BAD_NAME');
    expect(codeOf('<xml><a:b>1</a:b></xml>')).toBe('XML_BAD_NAME');
    expect(codeOf('<xml><#text>1</#text></xml>')).toBe('XML_BAD_NAME');
  });

  it('refuses nesting deeper than the flat shape', () => {
    expect(codeOf('<xml><a><b>1</b></a></xml>')).toBe('XML_TOO_DEEP');
    expect(codeOf('<xml><a>1<b/></a></xml>')).toBe('XML_TOO_DEEP');
    expect(codeOf(`<xml>${'<a>'.repeat(5000)}</xml>`)).toBe('XML_TOO_DEEP');
  });

  it('refuses duplicate fields (e.g. a second sign)', () => {
    expect(codeOf('<xml><sign>A</sign><total_fee>1</total_fee><sign>B</sign></xml>')).toBe('XML_DUPLICATE_FIELD');
    expect(codeOf('<xml><a/><a></a></xml>')).toBe('XML_DUPLICATE_FIELD');
  });

  it('refuses a non-string body', () => {
    expect(xmlError(() => parseXml(Buffer.from('<xml></xml>') as unknown as string)).code).toBe('XML_INVALID');
  });
});

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);
// Valid names (ASCII XML names, not forbidden) and any string XML can carry.
const nameArb = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,20}$/)
  .filter((n) => !FORBIDDEN.has(n));
const xmlCharArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('<', '>', '&', "'", '"', ']', ']]>', '\r', '\n', '\r\n', '\t', ' ', '&amp;', '&#xD;', '<![CDATA[', '<xml>', '<!DOCTYPE', '<!ENTITY', '<!--') },
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }) },
);
const xmlValueArb = fc
  .array(xmlCharArb, { maxLength: 12 })
  .map((parts) => parts.join(''))
  // eslint-disable-next-line no-control-regex -- XML-illegal controls are tested separately
  .filter((v) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(v));

describe('buildXml → parseXml round trip (property)', () => {
  it('returns exactly the field map that was built', () => {
    fc.assert(
      fc.property(fc.dictionary(nameArb, xmlValueArb, { maxKeys: 12 }), (fields) => {
        expect({ ...parseXml(buildXml(fields)) }).toEqual(fields);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips the nasty cases explicitly', () => {
    const fields = { a: ']]>', b: ']]]]>>', c: '\r', d: ' \r\n\t ', e: '<&>', f: '&amp;', g: '', h: ' ', i: '<![CDATA[x]]>', j: '\r<\r' };
    expect({ ...parseXml(buildXml(fields)) }).toEqual(fields);
  });
});
