import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSignedNotification } from '../src/testing/signed-notification';
import { devMerchant } from '../src/testing/dev-merchant';
import { WxPayXmlError } from '../src/wxpay/errors';
import { parseXml } from '../src/wxpay/xml-codec';
import { saxesOracle } from './oracles/xml-saxes-oracle';

/*
 * parseXml (fast-xml-parser inside the codec's policy layer) against an independent oracle
 * (saxes, a strict XML parser, plus the v2 policy written separately: test/oracles/xml-saxes-oracle.ts).
 *
 * What is compared, on every document:
 * - the oracle accepts → parseXml returns exactly the oracle's field map (a null-prototype object);
 * - the oracle refuses → parseXml throws a WxPayXmlError, and
 *   - if the refusal is for illegal characters, or the document is well-formed XML that breaks
 *     the v2 policy (DOCTYPE, names, nesting, attributes, roots, processing instructions,
 *     duplicates, encoding), the oracle's list of codes is complete and parseXml's code must be
 *     in it (exactly it, when the document has one kind of fault);
 *   - if saxes finds the document malformed, only the refusal is compared: after its first
 *     well-formedness error saxes recovers its own way and stops seeing later faults, so its list
 *     is incomplete, and the codec may rank a later fault first.
 * Why not one code each: the codec ranks faults (illegal characters, then the declaration and
 * markup declarations, then structure in document order, then the first bad reference, then
 * duplicates), and that ranking follows how its pass meets them; reproducing it in the oracle
 * would mean copying the codec. The ranking itself is pinned by the explicit cases below, which
 * assert the codec's exact code.
 */

type Outcome = { ok: true; fields: Record<string, string> } | { ok: false; code: string };

function outcome(parse: (xml: string) => Record<string, string>, xml: string): Outcome {
  try {
    const fields = parse(xml);
    expect(Object.getPrototypeOf(fields)).toBeNull();
    return { ok: true, fields: { ...fields } };
  } catch (err) {
    if (!(err instanceof WxPayXmlError)) throw err;
    return { ok: false, code: err.code };
  }
}

const ours = (xml: string): Outcome => outcome(parseXml, xml);

function expectSame(xml: string): Outcome {
  const result = ours(xml);
  const verdict = saxesOracle(xml);
  if (verdict.ok) {
    expect(result, JSON.stringify(xml)).toEqual({ ok: true, fields: verdict.fields });
  } else {
    expect(result.ok, `accepted what the oracle refuses (${[...verdict.codes].join(', ')}): ${JSON.stringify(xml)}`).toBe(false);
    if (!result.ok && verdict.complete) expect([...verdict.codes], `${result.code} for ${JSON.stringify(xml)}`).toContain(result.code);
  }
  return result;
}

// --- Generators -------------------------------------------------------------------------------

const WECHAT_NAMES = [
  'appid', 'mch_id', 'sub_mch_id', 'device_info', 'nonce_str', 'sign', 'sign_type', 'result_code',
  'return_code', 'return_msg', 'err_code', 'err_code_des', 'openid', 'is_subscribe', 'trade_type',
  'trade_state', 'trade_state_desc', 'bank_type', 'total_fee', 'settlement_total_fee', 'fee_type',
  'cash_fee', 'cash_fee_type', 'coupon_fee', 'coupon_count', 'coupon_type_0', 'coupon_id_0',
  'coupon_fee_0', 'transaction_id', 'out_trade_no', 'attach', 'time_end', 'body', 'detail',
  'prepay_id', 'code_url', 'promotion_detail', 'xml',
];
const FORBIDDEN = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__'];

const nameArb = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom(...WECHAT_NAMES) },
  { weight: 5, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/) },
  { weight: 1, arbitrary: fc.constantFrom(...FORBIDDEN, '1a', 'a:b', 'ä', '#text') },
);

/** Any string, including astral characters, lone surrogates and controls. */
const anyChars = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
  { weight: 4, arbitrary: fc.string({ maxLength: 4 }) },
);
const ws = fc.constantFrom('', ' ', '\n', '\r\n', '\r', '\t', ' \r\n\t ');

/*
 * Raw character data. `&` appears only inside complete tokens (a reference, or a bare `& ` that is
 * refused): a run of text never ends in half a reference, so a comment never splits one here.
 */
const textToken = fc.oneof(
  { weight: 30, arbitrary: anyChars.map((s) => s.replace(/[<&]/g, '')) },
  {
    weight: 20,
    arbitrary: fc.constantFrom(
      '&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#65;', '&#x41;', '&#xD;', '&#13;', '&#10;', '&#x9;', '&#x1F600;', '&#128512;',
      '&#x0000041;', '&#xFFFD;', '&#x10FFFF;', '>', ']]>', ']]', '"', "'", '\r', '\n', '\r\n', '\t', ' ', '😀', '\u2028', '\u0085', '支付',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('& ', '&nbsp;', '&LT;', '&#0;', '&#xD800;', '&#xFFFE;', '&#x110000;', '&#99999999999;', '&#x;', '&lt ', '&#65 ', '&x;', '&ENTITY;'),
  },
);
const textArb = fc.array(textToken, { minLength: 1, maxLength: 6 }).map((t) => t.join(''));

/** CDATA content: anything but the terminator. */
const cdataToken = fc.oneof(
  { weight: 5, arbitrary: anyChars },
  {
    weight: 5,
    arbitrary: fc.constantFrom('<', '>', '&', '&amp;', '&nbsp;', ']]', ']', '] ]>', '<![CDATA[', '<!DOCTYPE x>', '<!ENTITY a "b">', '</a>', '<xml>', '<!-- c -->', '\r', '\n', '\r\n', '\t', '😀'),
  },
);
const cdataArb = fc.array(cdataToken, { maxLength: 6 }).map((t) => t.join('').replaceAll(']]>', ']]'));

const commentArb = fc
  .array(fc.oneof(anyChars, fc.constantFrom('-', '--', '<!DOCTYPE x>', '<a>', '&bogus;', '\r\n', '<![CDATA[')), { maxLength: 4 })
  .map((t) => `<!--${t.join('').replaceAll('-->', '- ->')}-->`);

const pieceArb = fc.oneof(
  { weight: 5, arbitrary: textArb },
  { weight: 4, arbitrary: cdataArb.map((c) => `<![CDATA[${c}]]>`) },
  { weight: 1, arbitrary: commentArb },
);

const fieldArb = fc
  .tuple(nameArb, fc.oneof({ weight: 9, arbitrary: fc.array(pieceArb, { maxLength: 5 }) }, { weight: 1, arbitrary: fc.constant(null) }), ws, ws)
  .map(([name, pieces, open, close]) => (pieces === null ? `<${name}${open}/>` : `<${name}${open}>${pieces.join('')}</${name}${close}>`));

const betweenArb = fc.array(fc.oneof({ weight: 4, arbitrary: ws }, { weight: 1, arbitrary: commentArb }), { maxLength: 2 }).map((t) => t.join(''));

const declarationArb = fc.constantFrom(
  '',
  '',
  '<?xml version="1.0"?>',
  '<?xml version="1.0" encoding="UTF-8"?>',
  "<?xml version='1.1' encoding='utf-8' standalone='no' ?>",
  '<?xml version="2.0"?>',
  '<?xml?>',
  '<?xml-stylesheet href="x"?>',
);

const documentArb = fc
  .record({
    bom: fc.boolean(),
    declaration: declarationArb,
    before: betweenArb,
    rootOpen: fc.constantFrom('<xml>', '<xml >', '<xml\r\n>'),
    fields: fc.array(fc.tuple(fieldArb, betweenArb), { maxLength: 10 }),
    rootClose: fc.constantFrom('</xml>', '</xml >', '</xml\n>'),
    after: betweenArb,
  })
  .map(
    (d) =>
      `${d.bom ? '\uFEFF' : ''}${d.declaration}${d.before}${d.rootOpen}${d.fields.map(([f, b]) => f + b).join('')}${d.rootClose}${d.after}`,
  );

/** Markup and characters that break a document when dropped anywhere. */
const hostileToken = fc.constantFrom(
  '<!DOCTYPE x>', '<!doctype x [<!ENTITY a "b">]>', '<!ENTITY a "b">', '<! ENTITY', '<', '>', '&', '&a;', '</xml>', '<xml>', '<a>', '</a>',
  '<a/>', ']]>', '<![CDATA[', '<!--', '-->', '<?pi x?>', '\u0000', '\u0001', '\uD800', '\uDC00', '\uFFFE', '<__proto__>',
  '<constructor/>', '<toString>1</toString>', ' x="1"', '<sign>A</sign>', '<total_fee>1</total_fee>', '\r', '\n', '&#x1F600;', '<!---->',
);

const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: hostileToken }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
);

type Mutation = typeof mutationArb extends fc.Arbitrary<infer M> ? M : never;

function mutate(xml: string, m: Mutation): string {
  const at = xml.length === 0 ? 0 : m.at % (xml.length + 1);
  switch (m.kind) {
    case 'insert':
      return xml.slice(0, at) + m.token + xml.slice(at);
    case 'delete':
      return xml.slice(0, at) + xml.slice(at + m.length);
    case 'truncate':
      return xml.slice(0, at);
    case 'duplicate': {
      // Copies one element (from a `<` to the next `>` after its closing tag) to another place.
      const lt = xml.indexOf('<', at);
      const close = lt < 0 ? -1 : xml.indexOf('>', xml.indexOf('</', lt + 1));
      if (close < 0) return xml;
      const element = xml.slice(lt, close + 1);
      const to = (at * 7) % (xml.length + 1);
      return xml.slice(0, to) + element + xml.slice(to);
    }
  }
}

// A real notification, as WeChat sends it (values in CDATA), and as buildXml writes it.
function wechatStyle(fields: Record<string, string>): string {
  return `<xml>${Object.entries(fields)
    .map(([name, value]) => `<${name}><![CDATA[${value}]]></${name}>`)
    .join('')}</xml>`;
}
function oracleFields(xml: string): Record<string, string> {
  const verdict = saxesOracle(xml);
  if (!verdict.ok) throw new Error(`the oracle refuses the signed notification: ${[...verdict.codes].join(', ')}`);
  return verdict.fields;
}
const notification = oracleFields(
  buildSignedNotification({ attach: 'a&b <c>' }, { apiKey: devMerchant.apiKey, signType: 'MD5', coupons: [{ id: '10001', fee: 100 }] }),
);
const notificationXml = wechatStyle(notification);

// --- Properties -------------------------------------------------------------------------------

describe('parseXml against the saxes oracle (differential)', () => {
  it('gives the same map or the same error code on generated flat documents', () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(documentArb, (xml) => {
        runs++;
        if (expectSame(xml).ok) accepted++;
      }),
      { numRuns: 3000 },
    );
    // The generator must mostly produce documents that parse, or the comparison proves little.
    expect(accepted / runs).toBeGreaterThan(0.2);
  });

  it('gives the same outcome after hostile edits (inserted markup, deletions, truncation, copied elements)', () => {
    fc.assert(
      fc.property(documentArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (xml, mutations) => {
        expectSame(mutations.reduce(mutate, xml));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same outcome on arbitrary strings and on strings wrapped in <xml>', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        expectSame(s);
        expectSame(`<xml>${s}</xml>`);
        expectSame(`<xml><a>${s}</a></xml>`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseXml on a real notification', () => {
  it('reads it as WeChat sends it (CDATA) and as buildXml writes it', () => {
    expect(ours(notificationXml)).toEqual({ ok: true, fields: notification });
    expect(notification.total_fee).toBe('9900');
    expect(notification.coupon_id_0).toBe('10001');
    expect(notification.attach).toBe('a&b <c>');
  });

  it('throws a WxPayXmlError, never a partial map, when truncated at any offset', () => {
    const variants = [
      notificationXml,
      buildSignedNotification({}, { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' }),
      `\uFEFF<?xml version="1.0" encoding="UTF-8"?>\r\n<!-- n -->${notificationXml.replace('<total_fee>', '\r\n  <total_fee>').replace('</xml>', '<detail>a&amp;b&#x1F600;<!-- c --><![CDATA[<x>]]>\r\n</detail><e/></xml>')}`,
    ];
    for (const xml of variants) {
      for (let end = 0; end < xml.length; end++) {
        const prefix = xml.slice(0, end);
        const result = expectSame(prefix);
        expect(result.ok, JSON.stringify(prefix)).toBe(false);
      }
    }
  });

  it('refuses DOCTYPE and ENTITY at every markup position, and reads them as text inside CDATA', () => {
    const xml = `<?xml version="1.0"?><!-- c --><xml><a>1</a><b><![CDATA[x]]></b><c/>\n<d>t<![CDATA[y]]>u</d></xml>`;
    // Every `<` that starts markup (none are inside CDATA or comments here), and the very end.
    const positions = [...xml.matchAll(/</g)].map((m) => m.index).filter((i) => !xml.startsWith('<!-- c', i - 4));
    positions.push(xml.length);
    for (const declaration of ['<!DOCTYPE xml>', '<!doctype xml [<!ENTITY x "y">]>', '<!ENTITY x "y">', '<! DOCTYPE x>', '<!\nENTITY x SYSTEM "file:///etc/passwd">']) {
      for (const at of positions) {
        const doc = xml.slice(0, at) + declaration + xml.slice(at);
        const result = expectSame(doc);
        expect(result, doc).toEqual({ ok: false, code: 'XML_DOCTYPE_FORBIDDEN' });
      }
      // Inside CDATA and comments it is only text.
      const inCdata = xml.replace('<![CDATA[x]]>', `<![CDATA[x${declaration}]]>`);
      expect(expectSame(inCdata)).toMatchObject({ ok: true, fields: { b: `x${declaration.replace(/\r\n?/g, '\n')}` } });
      expect(expectSame(xml.replace('<!-- c -->', `<!-- ${declaration} -->`)).ok).toBe(true);
    }
  });
});

describe('parseXml hostile cases', () => {
  it('refuses nesting, attributes, processing instructions and forbidden names', () => {
    const cases: [string, string][] = [
      ['<xml><a><b>1</b></a></xml>', 'XML_TOO_DEEP'],
      ['<xml><a>1<b/></a></xml>', 'XML_TOO_DEEP'],
      ['<xml><a><![CDATA[1]]><b/></a></xml>', 'XML_TOO_DEEP'],
      [`<xml>${'<a>'.repeat(100_000)}`, 'XML_TOO_DEEP'],
      ['<xml><a x="1">1</a></xml>', 'XML_INVALID'],
      ['<xml><a x>1</a></xml>', 'XML_INVALID'],
      ['<xml x="1"><a>1</a></xml>', 'XML_INVALID'],
      ['<xml><?x?><a>1</a></xml>', 'XML_INVALID'],
      ['<xml><a><?x?></a></xml>', 'XML_TOO_DEEP'],
      ...FORBIDDEN.flatMap((name): [string, string][] => [
        [`<xml><${name}>1</${name}></xml>`, 'XML_FORBIDDEN_NAME'],
        [`<xml><${name}/></xml>`, 'XML_FORBIDDEN_NAME'],
        [`<xml><a>1</a><${name}><![CDATA[x]]></${name}></xml>`, 'XML_FORBIDDEN_NAME'],
      ]),
    ];
    for (const [xml, code] of cases) expect(expectSame(xml), xml).toEqual({ ok: false, code });
    expect(({} as Record<string, unknown>)['1']).toBeUndefined();
  });

  it('refuses references and text after the root, which the engine alone would drop', () => {
    for (const xml of ['<xml></xml>&a;', '<xml></xml>&amp;\n', '<xml></xml>&a;<!-- c -->', '<xml><a>1</a></xml><!-- c -->x<!-- d -->']) {
      expect(expectSame(xml), xml).toEqual({ ok: false, code: 'XML_INVALID' });
    }
  });

  it('refuses duplicate fields, after structure and entity errors (same precedence as before)', () => {
    const cases: [string, string][] = [
      ['<xml><sign>A</sign><total_fee>1</total_fee><sign>B</sign></xml>', 'XML_DUPLICATE_FIELD'],
      ['<xml><a/><a></a></xml>', 'XML_DUPLICATE_FIELD'],
      ['<xml><a>1</a><a>1</a></xml>', 'XML_DUPLICATE_FIELD'],
      // A structural error later in the document wins over an earlier duplicate.
      ['<xml><a>1</a><a>2</a><b>3</c></xml>', 'XML_INVALID'],
      ['<xml><a>1</a><a>2</a>', 'XML_INVALID'],
      ['<xml><a>1</a><a>2</a><b><c/></b></xml>', 'XML_TOO_DEEP'],
      // An entity error wins over a duplicate wherever it is.
      ['<xml><a>1</a><a>2</a><b>&nbsp;</b></xml>', 'XML_INVALID'],
      ['<xml><a>1</a><a>2</a><b>&#0;</b></xml>', 'XML_ILLEGAL_CHAR'],
      // The first bad reference in document order decides the code.
      ['<xml><a>&#0;</a><b>&nbsp;</b></xml>', 'XML_ILLEGAL_CHAR'],
      ['<xml><a>&nbsp;</a><b>&#0;</b></xml>', 'XML_INVALID'],
      ['<xml><a>&nbsp;<![CDATA[x]]>&#0;</a></xml>', 'XML_INVALID'],
      // ...but a later structural error wins over an entity error.
      ['<xml><a>&nbsp;</a><b>1</xml>', 'XML_INVALID'],
      ['<xml><a>&#0;</a><b><c/></b></xml>', 'XML_TOO_DEEP'],
    ];
    for (const [xml, code] of cases) expect(expectSame(xml), xml).toEqual({ ok: false, code });
  });

  it('refuses XML-illegal characters and lone surrogates anywhere, accepts astral pairs', () => {
    const xml = '<?xml version="1.0"?><xml><a>x</a><b><![CDATA[y]]></b><!-- c --></xml>';
    for (const bad of ['\u0000', '\u0008', '\u000B', '\u001F', '\uFFFE', '\uFFFF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uDC00\uD800']) {
      for (let at = 0; at <= xml.length; at++) {
        expect(expectSame(xml.slice(0, at) + bad + xml.slice(at))).toEqual({ ok: false, code: 'XML_ILLEGAL_CHAR' });
      }
    }
    for (const ref of ['&#0;', '&#x8;', '&#xB;', '&#xFFFE;', '&#xFFFF;', '&#xD800;', '&#xDFFF;', '&#x110000;', '&#xFFFFFFFF;', '&#9999999999;']) {
      expect(expectSame(`<xml><a>${ref}</a></xml>`)).toEqual({ ok: false, code: 'XML_ILLEGAL_CHAR' });
    }
    expect(expectSame('<xml><a>😀&#x1F600;&#128512;<![CDATA[😀]]></a></xml>')).toEqual({ ok: true, fields: { a: '😀😀😀😀' } });
  });

  it('keeps whitespace inside values, reads CRLF and CR as LF in text and CDATA, and keeps &#xD; as CR', () => {
    const cases: [string, Record<string, string>][] = [
      ['<xml><a>x\r\ny</a><b>x\ry</b><c>\r\n\r\r</c></xml>', { a: 'x\ny', b: 'x\ny', c: '\n\n\n' }],
      ['<xml><a><![CDATA[x\r\ny]]></a><b><![CDATA[\r]]></b></xml>', { a: 'x\ny', b: '\n' }],
      ['<xml><a>&#xD;&#13;\n&#xD;&#xA;</a><b>&#xD;\r\n</b></xml>', { a: '\r\r\n\r\n', b: '\r\n' }],
      ['<xml><a>  t  </a><b> <![CDATA[x]]> </b><c>\t</c><d> <!-- c --> </d></xml>', { a: '  t  ', b: ' x ', c: '\t', d: '  ' }],
      ['<xml>\r\n  <a>1</a>\r\n  <!-- c -->\r\n  <b/>\r\n</xml>\r\n', { a: '1', b: '' }],
      ['<xml><a>x<!-- c -->y<![CDATA[]]>z<![CDATA[<]]><![CDATA[>]]>&amp;</a></xml>', { a: 'xyz<>&' }],
      ['<xml><a><![CDATA[a]]]]><![CDATA[>b]]></a><b><![CDATA[<]]>&#xD;<![CDATA[]]></b></xml>', { a: 'a]]>b', b: '<\r' }],
    ];
    for (const [xml, fields] of cases) expect(expectSame(xml), xml).toEqual({ ok: true, fields });
  });

  it('reads a comment as the end of a run of text, so it cannot split an entity reference', () => {
    const xml = '<xml><a>&am<!-- c -->p;</a></xml>';
    // A strict parser agrees: `&am` is an unterminated reference.
    expect(saxesOracle(xml).ok).toBe(false);
    expect(expectSame(xml)).toEqual({ ok: false, code: 'XML_INVALID' });
    expect(expectSame('<xml><a>&amp;<!-- c -->&lt;</a></xml>')).toEqual({ ok: true, fields: { a: '&<' } });
  });
});

describe('parseXml on 1 MiB documents', () => {
  const MiB = 1 << 20;

  it('reads a 1 MiB text value, a 1 MiB CDATA value and a value of 100 000 pieces', () => {
    const text = 'x'.repeat(MiB);
    expect(expectSame(`<xml><a>${text}</a></xml>`)).toEqual({ ok: true, fields: { a: text } });
    expect(expectSame(`<xml><a><![CDATA[${text}]]></a></xml>`)).toEqual({ ok: true, fields: { a: text } });
    const pieces = '<![CDATA[ab]]><!---->&amp;\r\n'.repeat(40_000);
    expect(ours(`<xml><a>${pieces}</a></xml>`)).toEqual({ ok: true, fields: { a: 'ab&\n'.repeat(40_000) } });
    const split = `<xml><a><![CDATA[${']]>'.repeat(MiB / 8).replaceAll(']]>', ']]]]><![CDATA[>')}]]></a></xml>`;
    expect(ours(split)).toEqual({ ok: true, fields: { a: ']]>'.repeat(MiB / 8) } });
  });

  it('reads 50 000 fields, 1 MiB of comments and whitespace between fields, and refuses a duplicate at the end', () => {
    const names = Array.from({ length: 50_000 }, (_, i) => `f${i}`);
    const many = `<xml>${names.map((n) => `<${n}>${n}</${n}>`).join('')}</xml>`;
    const result = ours(many);
    expect(result.ok && Object.keys(result.fields).length).toBe(50_000);
    expect(result.ok && result.fields.f49999).toBe('f49999');
    expect(ours(many.replace('</xml>', '<f0>again</f0></xml>'))).toEqual({ ok: false, code: 'XML_DUPLICATE_FIELD' });
    const padded = `<xml><a>1</a>${' \r\n\t'.repeat(MiB / 8)}${'<!-- c -->'.repeat(MiB / 20)}<b>2</b></xml>`;
    expect(expectSame(padded)).toEqual({ ok: true, fields: { a: '1', b: '2' } });
  });

  it('refuses a 1 MiB document with one bad byte at the end, or cut short', () => {
    const big = `<xml><a>${'&amp;'.repeat(MiB / 5)}</a><b>${'y'.repeat(MiB)}`;
    expect(expectSame(`${big}</b></xml>`).ok).toBe(true);
    expect(expectSame(`${big}&</b></xml>`)).toEqual({ ok: false, code: 'XML_INVALID' });
    expect(expectSame(`${big}\u0000</b></xml>`)).toEqual({ ok: false, code: 'XML_ILLEGAL_CHAR' });
    expect(expectSame(`${big}</b></xml`)).toEqual({ ok: false, code: 'XML_INVALID' });
    expect(expectSame(`${big}<![CDATA[`)).toEqual({ ok: false, code: 'XML_INVALID' });
  });
});
