import { describe, expect, it } from 'vitest';
import { errorOf } from '../testing/caught-error';
import { devMerchant } from '../testing';
import type { V2Merchant } from './merchant';
import {
  buildMicropayReport,
  buildSingleCallReport,
  MICROPAY_REPORT_INTERFACE_URL,
  parseReportResponse,
  type SingleCallReportInput,
} from './report';
import { verifyV2 } from './v2-sign';
import { parseXml } from './xml-codec';

const merchant: V2Merchant = { appId: devMerchant.appId, mchId: devMerchant.mchId, apiKey: devMerchant.apiKey, signType: 'MD5' };

const single: SingleCallReportInput = {
  interfaceUrl: 'https://api.mch.weixin.qq.com/pay/unifiedorder',
  executeTimeMs: 1000,
  returnCode: 'SUCCESS',
  returnMsg: 'OK',
  resultCode: 'FAIL',
  errCode: 'SYSTEMERROR',
  errCodeDes: '系统错误',
  outTradeNo: 'T1',
  userIp: '8.8.8.8',
  time: '20091227091010',
};

describe('single-call report', () => {
  it('uses execute_time_ with the trailing underscore and signs every field', () => {
    const { fields, xml } = buildSingleCallReport(single, merchant, 'n0nce');
    expect(fields.execute_time_).toBe('1000');
    expect('execute_time' in fields).toBe(false);
    expect(xml).toContain('<execute_time_>1000</execute_time_>');
    expect(fields).toMatchObject({
      appid: devMerchant.appId,
      mch_id: devMerchant.mchId,
      interface_url: single.interfaceUrl,
      return_code: 'SUCCESS',
      result_code: 'FAIL',
      err_code: 'SYSTEMERROR',
      user_ip: '8.8.8.8',
      time: '20091227091010',
    });
    expect(verifyV2(parseXml(xml), devMerchant.apiKey)).toBe('MD5');
  });

  it('refuses bad inputs', () => {
    expect(errorOf(() => buildSingleCallReport({ ...single, executeTimeMs: 1.5 }, merchant, 'n')).code).toBe('FIELD_INVALID');
    expect(errorOf(() => buildSingleCallReport({ ...single, interfaceUrl: '/pay/unifiedorder' }, merchant, 'n')).code).toBe('FIELD_INVALID');
    expect(errorOf(() => buildSingleCallReport({ ...single, time: '2009-12-27' }, merchant, 'n')).code).toBe('FIELD_INVALID');
    expect(errorOf(() => buildSingleCallReport({ ...single, returnCode: 'OK' as 'SUCCESS' }, merchant, 'n')).code).toBe('FIELD_INVALID');
  });

  it('always carries result_code: a report without one is refused, not sent', () => {
    const { resultCode: _dropped, ...withoutResult } = single;
    const error = errorOf(() => buildSingleCallReport(withoutResult as SingleCallReportInput, merchant, 'n'));
    expect(error).toMatchObject({ code: 'FIELD_MISSING', field: 'result_code' });
  });

  it('user_ip is String(16): IPv4 fits, an IPv6 address that does not fit is refused with its length', () => {
    expect(buildSingleCallReport({ ...single, userIp: '255.255.255.255' }, merchant, 'n').fields.user_ip).toBe('255.255.255.255');
    const error = errorOf(() => buildSingleCallReport({ ...single, userIp: '2001:db8:85a3::8a2e:370:7334' }, merchant, 'n'));
    expect(error).toMatchObject({ code: 'FIELD_INVALID', field: 'user_ip' });
    expect(error.message).toMatch(/String\(16\).*28 characters/);
    expect(errorOf(() => buildMicropayReport({ userIp: '2001:db8:85a3::8a2e:370:7334', trades: [{ outTradeNo: 'T', beginTime: '20160602203256', endTime: '20160602203257', state: 'OK' }] }, merchant, 'n')).code).toBe('FIELD_INVALID');
  });

});

describe('micropay report', () => {
  const trades = [
    { outTradeNo: 'out_trade_no_test_1', beginTime: '20160602203256', endTime: '20160602203257', state: 'OK' as const },
    { outTradeNo: 'out_trade_no_test_2', beginTime: '20160602203256', endTime: '20160602203300', state: 'CANCLE' as const, errMsg: 'user cancelled' },
  ];

  it('sends trades as the JSON string of the seed, with the batch interface_url', () => {
    const { fields, xml } = buildMicropayReport({ userIp: '8.8.8.8', trades, deviceInfo: '013467007045764' }, merchant, 'n0nce');
    expect(fields.interface_url).toBe('https://api.mch.weixin.qq.com/pay/batchreport/micropay/total');
    expect(fields.interface_url).toBe(MICROPAY_REPORT_INTERFACE_URL);
    expect(JSON.parse(fields.trades ?? '')).toEqual([
      { out_trade_no: 'out_trade_no_test_1', begin_time: '20160602203256', end_time: '20160602203257', state: 'OK', err_msg: '' },
      { out_trade_no: 'out_trade_no_test_2', begin_time: '20160602203256', end_time: '20160602203300', state: 'CANCLE', err_msg: 'user cancelled' },
    ]);
    const received = parseXml(xml);
    expect(received.trades).toBe(fields.trades);
    expect(verifyV2(received, devMerchant.apiKey)).toBe('MD5');
  });

  it('refuses empty trades, bad states and bad times', () => {
    expect(errorOf(() => buildMicropayReport({ userIp: '8.8.8.8', trades: [] }, merchant, 'n')).code).toBe('FIELD_MISSING');
    expect(errorOf(() => buildMicropayReport({ userIp: '8.8.8.8', trades: [{ ...trades[0]!, state: 'CANCEL' as 'OK' }] }, merchant, 'n')).code).toBe('FIELD_INVALID');
    expect(errorOf(() => buildMicropayReport({ userIp: '8.8.8.8', trades: [{ ...trades[0]!, beginTime: '2016-06-02' }] }, merchant, 'n')).code).toBe('FIELD_INVALID');
  });
});

describe('parseReportResponse', () => {
  it('reads the unsigned response without throwing on FAIL', () => {
    expect(parseReportResponse('<xml><return_code><![CDATA[SUCCESS]]></return_code><result_code><![CDATA[SUCCESS]]></result_code></xml>')).toEqual({
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
    });
    expect(parseReportResponse('<xml><return_code>FAIL</return_code><return_msg>签名失败</return_msg></xml>')).toEqual({ returnCode: 'FAIL', returnMsg: '签名失败' });
    expect(errorOf(() => parseReportResponse('<xml></xml>')).code).toBe('FIELD_MISSING');
  });
});
