import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRefundRequest, type V2Merchant } from '@checkout/protocol/wxpay';
import type { EmulatorMerchant } from '../emulator-types';
import { newOutTradeNo, postTls, startEmulator } from '../testing/test-fixtures';

const hasOpenssl = ((): boolean => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const dir = mkdtempSync(join(tmpdir(), 'wxpay-emulator-ca-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A merchant CA of its own and a client certificate it issued (not the dev CA). */
function issueWithOwnCa(mchId: string): { caPem: string; certPem: string; keyPem: string } {
  const file = (name: string): string => join(dir, name);
  const run = (args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=merchant test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('c.key'), '-out', file('c.csr'), '-subj', `/O=Tenpay.com/OU=Tenpay.com CA Center/CN=${mchId}`]);
  run(['x509', '-req', '-in', file('c.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('c.pem'), '-days', '2']);
  return { caPem: readFileSync(file('ca.pem'), 'utf8'), certPem: readFileSync(file('c.pem'), 'utf8'), keyPem: readFileSync(file('c.key'), 'utf8') };
}

describe.skipIf(!hasOpenssl)('a merchant certificate from another CA', () => {
  it('is accepted only when the merchant config names that CA', async () => {
    const own = issueWithOwnCa('1900000777');
    const base: EmulatorMerchant = { appId: 'wxca000000000000777', mchId: '1900000777', apiKey: 'caapikey000000000000000000000777', apiClientCertPem: own.certPem };
    const v2: V2Merchant = { appId: base.appId, mchId: base.mchId, apiKey: base.apiKey, signType: 'MD5' };
    for (const [merchant, accepted] of [
      [{ ...base, apiClientCaPem: own.caPem }, true],
      [base, false],
    ] as const) {
      const emu = await startEmulator({ merchants: [merchant], refundMinIntervalMs: 0 });
      try {
        const { outTradeNo } = emu.control.seedOrder({ outTradeNo: newOutTradeNo(), totalFee: 100 });
        emu.control.payOrder(outTradeNo);
        const xml = buildRefundRequest({ outTradeNo, outRefundNo: 'CA-R1', totalFee: 100, refundFee: 100 }, v2, 'n1').xml;
        const sent = postTls(`${emu.secureUrl}/secapi/pay/refund`, xml, { cert: own.certPem, key: own.keyPem });
        if (accepted) expect((await sent).fields.result_code).toBe('SUCCESS');
        else await expect(sent).rejects.toThrow(/socket hang up|ECONNRESET/);
        expect(emu.control.refunds()).toHaveLength(accepted ? 1 : 0);
      } finally {
        await emu.close();
      }
    }
  });
});
