import { describe, expect, it } from 'vitest';
import { isExactNotifyAck, isNotifyAck } from './notify-ack';

const documented = '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';

describe('isNotifyAck: what WeChat Pay takes as an acknowledgement', () => {
  it.each([
    ['the documented example', documented],
    ["tenpay's Koa middleware answer", '<?xml version="1.0"?>\n<xml>\n  <return_code>SUCCESS</return_code>\n</xml>'],
    ['plain text return_code and return_msg', '<xml><return_code>SUCCESS</return_code><return_msg>OK</return_msg></xml>'],
    ['the documented example with whitespace around it', `\n  ${documented}\r\n\n`],
    ['a CDATA return_code alone', '<xml><return_code><![CDATA[SUCCESS]]></return_code></xml>'],
    ['an XML declaration with encoding', '<?xml version="1.0" encoding="UTF-8"?><xml><return_code>SUCCESS</return_code></xml>'],
  ])('%s is an ack', (_, body) => {
    expect(isNotifyAck(body)).toBe(true);
  });

  it.each([
    ['return_code FAIL', '<xml><return_code>FAIL</return_code><return_msg>busy</return_msg></xml>'],
    ['an unclosed element', '<xml><return_code>SUCCESS</return_code>'],
    ['mismatched tags', '<xml><return_code>SUCCESS</return_msg></xml>'],
    ['two roots', '<xml><return_code>SUCCESS</return_code></xml><xml></xml>'],
    ['another root element', '<result><return_code>SUCCESS</return_code></result>'],
    ['no return_code', '<xml><return_msg>OK</return_msg></xml>'],
    ['return_code in lower case', '<xml><return_code>success</return_code></xml>'],
    ['return_code padded with spaces', '<xml><return_code> SUCCESS </return_code></xml>'],
    ['a plain text SUCCESS', 'SUCCESS'],
    ['JSON', '{"return_code":"SUCCESS"}'],
    ['an empty body', ''],
    ['a DOCTYPE with an entity', '<!DOCTYPE xml [<!ENTITY s "SUCCESS">]><xml><return_code>&s;</return_code></xml>'],
  ])('%s is not an ack', (_, body) => {
    expect(isNotifyAck(body)).toBe(false);
  });
});

describe('isExactNotifyAck (strict mode)', () => {
  it('takes only the documented bytes, ignoring surrounding whitespace', () => {
    expect(isExactNotifyAck(`${documented}\n`, documented)).toBe(true);
    expect(isExactNotifyAck('<xml><return_code>SUCCESS</return_code></xml>', documented)).toBe(false);
  });
});
