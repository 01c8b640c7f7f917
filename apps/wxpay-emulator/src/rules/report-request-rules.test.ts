import { describe, expect, it } from 'vitest';
import { devMerchant } from '@checkout/protocol/testing';
import { buildMicropayReport, buildSingleCallReport, parseXml, type V2Merchant } from '@checkout/protocol/wxpay';
import { checkReport } from './report-request-rules';

const merchant: V2Merchant = { appId: devMerchant.appId, mchId: devMerchant.mchId, apiKey: devMerchant.apiKey, signType: 'MD5' };

describe('checkReport reads what the protocol client sends', () => {
  it('a single-call report, every field kept', () => {
    const input = {
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
    } as const;
    const checked = checkReport(parseXml(buildSingleCallReport(input, merchant, 'n0nce').xml));
    expect(checked).toEqual({ ok: true, value: { kind: 'single', appId: devMerchant.appId, mchId: devMerchant.mchId, ...input } });
  });

  it('a micropay batch report', () => {
    const trades = [
      { outTradeNo: 'out_trade_no_test_1', beginTime: '20160602203256', endTime: '20160602203257', state: 'OK' as const },
      { outTradeNo: 'out_trade_no_test_2', beginTime: '20160602203256', endTime: '20160602203300', state: 'CANCLE' as const, errMsg: 'user cancelled' },
    ];
    const checked = checkReport(parseXml(buildMicropayReport({ userIp: '8.8.8.8', trades, deviceInfo: '013467007045764' }, merchant, 'n0nce').xml));
    expect(checked).toEqual({
      ok: true,
      value: { kind: 'micropay', appId: devMerchant.appId, mchId: devMerchant.mchId, deviceInfo: '013467007045764', userIp: '8.8.8.8', trades },
    });
  });

  it('names the field a client got wrong', () => {
    const fields = parseXml(buildSingleCallReport({ interfaceUrl: 'https://api.mch.weixin.qq.com/pay/orderquery', executeTimeMs: 5, returnCode: 'SUCCESS', resultCode: 'SUCCESS', userIp: '8.8.8.8', time: '20261125101010' }, merchant, 'n').xml);
    const { execute_time_: value, ...rest } = fields;
    expect(checkReport({ ...rest, execute_time: value ?? '' })).toEqual({ ok: false, problem: { code: 'LACK_PARAMS', detail: 'execute_time_ (the name ends with an underscore)' } });
    expect(checkReport({ ...fields, trades: '[]' })).toMatchObject({ ok: false, problem: { code: 'PARAM_ERROR' } });
  });
});
