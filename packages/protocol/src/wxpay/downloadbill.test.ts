import { describe, expect, it } from 'vitest';
import { devMerchant } from '../testing';
import { codeOf, errorOf } from '../testing/caught-error';
import { buildDownloadBillRequest, downloadBillErrorKind, downloadBillXmlError, looksLikeXmlAnswer, WxPayDownloadBillError } from './downloadbill';
import type { V2Merchant } from './merchant';
import { WxPayBillError } from './trade-bill-error';
import { verifyV2 } from './v2-sign';
import { parseXml } from './xml-codec';

const merchant: V2Merchant = { appId: devMerchant.appId, mchId: devMerchant.mchId, apiKey: devMerchant.apiKey, signType: 'MD5' };

describe('downloadbill request', () => {
  it('builds a signed request with bill_type ALL by default and tar_type only when gzip is asked', () => {
    const plain = buildDownloadBillRequest({ billDate: '20251125' }, merchant, 'n0nce');
    expect(plain.fields).toMatchObject({ bill_date: '20251125', bill_type: 'ALL', appid: devMerchant.appId, mch_id: devMerchant.mchId });
    expect(plain.fields.tar_type).toBeUndefined();
    expect(verifyV2(parseXml(plain.xml), devMerchant.apiKey)).toBe('MD5');
    const zipped = buildDownloadBillRequest({ billDate: '20251125', billType: 'REFUND', gzip: true }, { ...merchant, signType: 'HMAC-SHA256' }, 'n0nce');
    expect(zipped.fields).toMatchObject({ bill_type: 'REFUND', tar_type: 'GZIP', sign_type: 'HMAC-SHA256' });
    expect(verifyV2(parseXml(zipped.xml), devMerchant.apiKey)).toBe('HMAC-SHA256');
  });

  it('refuses a bill date that is not a real yyyyMMdd and an unsupported bill type', () => {
    for (const billDate of ['2025-11-25', '20251131', '2025112', '']) {
      expect(errorOf(() => buildDownloadBillRequest({ billDate }, merchant, 'n0nce'))).toMatchObject({ code: 'FIELD_INVALID', field: 'bill_date' });
    }
    expect(codeOf(() => buildDownloadBillRequest({ billDate: '20251125', billType: 'RECHARGE_REFUND' as 'ALL' }, merchant, 'n0nce'))).toBe('FIELD_INVALID');
  });
});

describe('downloadbill error answers', () => {
  const answer = (msg: string, code?: string): string =>
    `<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[${msg}]]></return_msg>${code === undefined ? '' : `<error_code><![CDATA[${code}]]></error_code>`}</xml>`;

  it('maps the documented return_msg values to stable kinds', () => {
    const table: [string, string, boolean][] = [
      ['Bill Creating', 'bill_not_ready', true],
      ['No Bill Exist', 'no_trades_that_day', false],
      ['NO Bill Exist', 'no_trades_that_day', false],
      ['invalid bill_date', 'invalid_bill_date', false],
      ['bill_date is too old', 'invalid_bill_date', false],
      ['invalid bill_type', 'invalid_bill_type', false],
      ['data format error', 'invalid_request', false],
      ['missing parameter', 'invalid_request', false],
      ['SIGN ERROR', 'signature_invalid', false],
      ['sign error', 'signature_invalid', false],
      ['SYSTEMERROR', 'system_error', true],
      ['CompressGZip Error', 'compression_failed', true],
      ['UnCompressGZip Error', 'compression_failed', true],
      ['something new', 'unknown', false],
    ];
    for (const [msg, kind, retryable] of table) {
      const error = downloadBillXmlError(answer(msg, '20002'));
      expect(error).toBeInstanceOf(WxPayDownloadBillError);
      expect([(error as WxPayDownloadBillError).kind, (error as WxPayDownloadBillError).retryable], msg).toEqual([kind, retryable]);
      expect(downloadBillErrorKind(`  ${msg} `)).toBe(kind);
    }
    const noCode = downloadBillXmlError(answer('Bill Creating')) as WxPayDownloadBillError;
    expect([noCode.code, noCode.errorCode, noCode.returnMsg]).toEqual(['DOWNLOADBILL_FAIL', undefined, 'Bill Creating']);
  });

  it('any other XML is not an error answer, and broken XML stays an XML error', () => {
    expect(downloadBillXmlError('<xml><return_code>SUCCESS</return_code></xml>')).toBeInstanceOf(WxPayBillError);
    expect(codeOf(() => downloadBillXmlError('<xml><return_code>FAIL</xml>'))).toBe('XML_INVALID');
  });

  it('tells an XML answer from a bill by its first significant character', () => {
    expect(looksLikeXmlAnswer('<xml>')).toBe(true);
    expect(looksLikeXmlAnswer('\uFEFF \r\n<?xml version="1.0"?>')).toBe(true);
    expect(looksLikeXmlAnswer('\uFEFF交易时间,公众账号ID')).toBe(false);
    expect(looksLikeXmlAnswer('')).toBe(false);
  });
});
