import { strict as assert } from 'node:assert';
import { parsePayNotification } from '../src/wxpay/pay-notification';
import { buildUnifiedOrderRequest } from '../src/wxpay/unifiedorder';
import { signV2, type SignType } from '../src/wxpay/v2-sign';
import { parseXml } from '../src/wxpay/xml-codec';
import { merchant, nonceStr, notificationXml, order, unifiedOrderWire } from './fixtures';
import { measure, medianRatio, sinkValue, type Contender, type HarnessOptions } from './harness';
import { tenpayPeer, wxAxiosPeer } from './peers';

/*
 * `pnpm --filter @checkout/protocol bench`: ops/s of @checkout/protocol against the npm peers
 * `tenpay` and `wechatpay-axios-plugin`, measured in this run, and our ratio to the faster peer.
 * Our parse/verify rows include the strict checks the peers skip (structure, DOCTYPE, duplicates,
 * prototype names, sign length/sign_type, constant-time compare, field mapping).
 *
 * Flags: `--quick` (short rounds, for a smoke run), `--only <text>` (cases whose name contains it).
 */

const quick = process.argv.includes('--quick');
const options: HarnessOptions = quick ? { warmupMs: 100, roundMs: 40, rounds: 7 } : { warmupMs: 300, roundMs: 20, rounds: 75 };

const tenpay = tenpayPeer(merchant);
const wxAxios = wxAxiosPeer(merchant);

// Same inputs must give the same answers, or the comparison is meaningless.
function sanityCheck(): void {
  for (const type of ['MD5', 'HMAC-SHA256'] as SignType[]) {
    const ours = signV2(unifiedOrderWire, merchant.apiKey, type);
    assert.equal(tenpay.sign(unifiedOrderWire, type), ours, `tenpay ${type} sign differs`);
    assert.equal(wxAxios.sign(unifiedOrderWire, type), ours, `wechatpay-axios-plugin ${type} sign differs`);
  }
  const built = parseXml(buildUnifiedOrderRequest(order, merchant, nonceStr).xml);
  assert.deepEqual({ ...built }, { ...unifiedOrderWire, sign: signV2(unifiedOrderWire, merchant.apiKey, 'MD5') });
  assert.deepEqual({ ...parseXml(wxAxios.buildSigned(unifiedOrderWire, 'MD5')) }, { ...built });
  assert.deepEqual({ ...parseXml(notificationXml) }, wxAxios.parse(notificationXml));
  assert.equal(parsePayNotification(notificationXml, { apiKey: merchant.apiKey }).totalFee, 399900);
  assert.equal(wxAxios.parseAndVerify(notificationXml).total_fee, '399900');
}

interface Case {
  name: string;
  ours: Contender;
  peers: Contender[];
  target: number;
}

const cases: Case[] = [
  {
    name: 'MD5 sign',
    ours: { name: 'ours', fn: () => signV2(unifiedOrderWire, merchant.apiKey, 'MD5') },
    peers: [
      { name: 'tenpay', fn: () => tenpay.sign(unifiedOrderWire, 'MD5') },
      { name: 'wechatpay-axios-plugin', fn: () => wxAxios.sign(unifiedOrderWire, 'MD5') },
    ],
    target: 1.2,
  },
  {
    name: 'HMAC-SHA256 sign',
    ours: { name: 'ours', fn: () => signV2(unifiedOrderWire, merchant.apiKey, 'HMAC-SHA256') },
    peers: [
      { name: 'tenpay', fn: () => tenpay.sign(unifiedOrderWire, 'HMAC-SHA256') },
      { name: 'wechatpay-axios-plugin', fn: () => wxAxios.sign(unifiedOrderWire, 'HMAC-SHA256') },
    ],
    target: 1.2,
  },
  {
    // Ours validates every input field too; the peers sign and serialise a ready wire map.
    name: 'build unifiedorder XML (validate+sign+serialise)',
    ours: { name: 'ours', fn: () => buildUnifiedOrderRequest(order, merchant, nonceStr).xml },
    peers: [
      { name: 'tenpay', fn: () => tenpay.buildSigned(unifiedOrderWire, 'MD5') },
      { name: 'wechatpay-axios-plugin', fn: () => wxAxios.buildSigned(unifiedOrderWire, 'MD5') },
    ],
    target: 1.5,
  },
  {
    name: 'parse notification',
    ours: { name: 'ours', fn: () => parseXml(notificationXml) },
    peers: [
      { name: 'tenpay', fn: () => tenpay.parse(notificationXml), async: true },
      { name: 'wechatpay-axios-plugin', fn: () => wxAxios.parse(notificationXml) },
    ],
    // At or above the faster peer, which runs the same engine without the strict checks.
    target: 1,
  },
  {
    name: 'parse + verify notification',
    ours: { name: 'ours', fn: () => parsePayNotification(notificationXml, { apiKey: merchant.apiKey }) },
    peers: [
      { name: 'tenpay', fn: () => tenpay.parseAndVerify(notificationXml), async: true },
      { name: 'wechatpay-axios-plugin', fn: () => wxAxios.parseAndVerify(notificationXml) },
    ],
    target: 1,
  },
];

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  sanityCheck();
  console.log(
    `node ${process.version}, ${options.rounds} interleaved rounds × ${options.roundMs} ms per contender after ${options.warmupMs} ms warm-up;\n` +
      'ops/s = median round; ratio = median over rounds of ours / faster peer in the same round\n',
  );
  const rows: string[][] = [['case', 'ours ops/s', 'tenpay ops/s', 'wechatpay-axios-plugin ops/s', 'ours / faster peer', 'target', '']];
  let failed = 0;
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
  for (const c of cases.filter((k) => only === undefined || k.name.includes(only))) {
    const [ours, ...peers] = await measure([c.ours, ...c.peers], options);
    if (ours === undefined) throw new Error('no measurement');
    const ratio = medianRatio(ours, peers);
    const ok = ratio >= c.target;
    if (!ok) failed++;
    rows.push([c.name, fmt(ours.opsPerSec), ...peers.map((p) => fmt(p.opsPerSec)), `${ratio.toFixed(2)}x`, `≥ ${c.target}x`, ok ? 'ok' : 'BELOW']);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, j) => (j === 0 ? cell.padEnd(widths[j] ?? 0) : cell.padStart(widths[j] ?? 0))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  console.log(
    '\nSigning time is mostly node:crypto hashing, which all three share; the difference is the canonical\n' +
      'string. Build: ours also validates every input field. Parse/verify: ours also runs the strict checks.',
  );
  console.log(`(sink ${sinkValue()})${failed > 0 ? `\n${failed} case(s) below target` : ''}`);
}

await main();
