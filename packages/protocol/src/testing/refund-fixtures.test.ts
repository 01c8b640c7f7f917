import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decryptAes256Ecb } from '../wxpay/refund-req-info-cipher';
import { verifyV2 } from '../wxpay/v2-sign';
import { parseXml } from '../wxpay/xml-codec';
import { devMerchant } from './dev-merchant';
import { buildEncryptedRefundNotification } from './encrypted-refund-notification';
import { refundReqInfoVectors } from './refund-req-info-vectors';
import { buildSignedRefundQueryResponse } from './signed-refund-query-response';
import { buildSignedRefundFailResponse, buildSignedRefundResponse } from './signed-refund-response';

describe('refundReqInfoVectors', () => {
  const shared = new URL('../../../../../shared/vectors/refund-req-info.json', import.meta.url);

  it.skipIf(!existsSync(shared))('is an exact copy of shared/vectors/refund-req-info.json', () => {
    expect(refundReqInfoVectors).toEqual(JSON.parse(readFileSync(shared, 'utf8')));
  });

  it('carries both vectors', () => {
    expect(refundReqInfoVectors.aes_ecb_hello.ciphertext_base64).toBe('pZwJZBLuy3mDACEQT4YTBw==');
    expect(refundReqInfoVectors.req_info_full.aes_key_ascii).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('buildEncryptedRefundNotification', () => {
  it('encrypts req_info with the key md5(dev APIv2 key) and carries no sign', () => {
    const outer = parseXml(buildEncryptedRefundNotification({ refund_fee: '100', x_new: 'kept' }));
    expect(outer).toMatchObject({ return_code: 'SUCCESS', appid: devMerchant.appId, mch_id: devMerchant.mchId });
    expect(outer.sign).toBeUndefined();
    // md5 hex of the dev APIv2 key, computed outside this package: pins the fixture's key derivation.
    const key = Buffer.from('0c7061d5f98fe6538f1d5411bfb1a30f', 'ascii');
    const plain = decryptAes256Ecb(outer.req_info ?? '', key);
    expect(plain.startsWith('<root>')).toBe(true);
    expect(plain).toContain('<refund_fee>100</refund_fee>');
    expect(plain).toContain('<settlement_refund_fee>100</settlement_refund_fee>');
    expect(plain).toContain('<x_new>kept</x_new>');
  });
});

describe('signed refund response builders', () => {
  it('signs the refund answer, the FAIL answer and the refundquery answer with the dev key', () => {
    for (const xml of [
      buildSignedRefundResponse({}, { signType: 'HMAC-SHA256' }),
      buildSignedRefundFailResponse('SYSTEMERROR', '系统超时', { signType: 'MD5' }),
      buildSignedRefundQueryResponse([{ outRefundNo: 'R1', refundId: '5001', refundFee: 1, refundStatus: 'SUCCESS' }], { signType: 'MD5' }),
    ]) {
      expect(['MD5', 'HMAC-SHA256']).toContain(verifyV2(parseXml(xml), devMerchant.apiKey));
    }
  });

  it('the FAIL answer has no refund fields', () => {
    const fields = parseXml(buildSignedRefundFailResponse('NOTENOUGH', '余额不足', { signType: 'MD5' }));
    expect(fields).toMatchObject({ result_code: 'FAIL', err_code: 'NOTENOUGH' });
    expect(fields.refund_id).toBeUndefined();
  });
});
