import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { isWellFormedFlatDocument } from '../src/wxpay/xml-flat-shape';
import { saxesOracle } from './oracles/xml-saxes-oracle';

/*
 * The flat-shape check lets parseXml skip fast-xml-parser's validator. That is safe only if every
 * document it accepts is one the validator (and an independent strict parser) accepts too.
 */

/** Pieces that come close to the flat shape and break it in every way a piece can. */
const piece = fc.constantFrom(
  '<xml>', '</xml>', '<a>', '</a>', '<b>', '</b>', '<a/>', '<a x="1">', '</ a>', '<a >', '< a>',
  'text', ' ', '\n', '\t', '\r\n', ']', ']]', ']]>', '&lt;', '&amp;', '&#13;', '&#xD;', '&nope;', '&', '&lt', '<',
  '<![CDATA[', ']]>', '<![CDATA[x]]>', '<![CDATA[]]]]><![CDATA[>]]>', '<!-- c -->', '<?pi?>', '<!DOCTYPE x>', '"', "'",
);
const nearFlat = fc.array(piece, { maxLength: 14 }).map((parts) => parts.join(''));
const framed = fc.array(piece, { maxLength: 10 }).map((parts) => `<xml><a>${parts.join('')}</a></xml>`);

describe('isWellFormedFlatDocument', () => {
  it('accepts only documents that the validator and the saxes oracle find well-formed', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(nearFlat, framed), (xml) => {
        if (!isWellFormedFlatDocument(xml)) return;
        accepted += 1;
        expect(XMLValidator.validate(xml), xml).toBe(true);
        const verdict = saxesOracle(xml);
        expect(verdict.ok || verdict.complete, `saxes finds ${JSON.stringify(xml)} malformed`).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    // The property says something only if the generator reaches the accepted shape often.
    expect(accepted).toBeGreaterThan(500);
  });

  it('accepts what WeChat Pay sends and refuses every other shape, leaving it to the validator', () => {
    expect(isWellFormedFlatDocument('<xml><appid><![CDATA[wx1]]></appid>\n<total_fee>1</total_fee><attach>a &amp; b</attach></xml>')).toBe(true);
    expect(isWellFormedFlatDocument('<xml></xml>\n')).toBe(true);
    for (const other of [
      '<xml><a>1</b></xml>', // mismatched closing tag
      '<xml><a>1</a>', // truncated
      '<xml><a>x]]>y</a></xml>', // `]]>` is not allowed in text
      '<xml><a>&#13;</a></xml>', // numeric reference: the validator decides
      '<xml><a/></xml>', // empty-element tag
      '<xml><a x="1">1</a></xml>', // attribute
      '<xml><a><b>1</b></a></xml>', // nesting
      '<xml><!-- c --><a>1</a></xml>', // comment
      '<xml><a>1</a></xml><xml></xml>', // two roots
      ' <xml></xml>', // text before the root
    ]) expect(isWellFormedFlatDocument(other), other).toBe(false);
  });

  it('answers in one pass on a long document that fails at its very end', () => {
    const long = `<xml><a>${'x'.repeat(1 << 20)}</a><b><![CDATA[${']'.repeat(1 << 16)}x]]></b>`;
    expect(isWellFormedFlatDocument(long)).toBe(false);
    expect(isWellFormedFlatDocument(`${long}</xml>`)).toBe(true);
  });
});
