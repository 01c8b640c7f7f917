import { gzipSync } from 'node:zlib';
import { sampleTradeBillRows, tradeBillChunks } from '../src/testing';
import { readTradeBill } from '../src/wxpay/trade-bill-parser';

/*
 * `pnpm --filter @checkout/protocol bench:bill [--rows N] [--gzip]`: streams a generated ALL bill
 * (default 500 000 rows, one refund in 7) through the parser and prints rows/s and peak RSS.
 * The bill is written lazily while it is parsed, so the RSS shows what parsing holds, not the
 * file. Writing alone is timed first, so the parse cost can be read off the difference.
 * With --gzip the bill is compressed up front (that buffer counts in the RSS) and gunzipped while parsed.
 */

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};
const rows = Number(arg('--rows') ?? 500_000);
const gzip = process.argv.includes('--gzip');

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 20);

const chunks = (): Iterable<Buffer> => tradeBillChunks('ALL', sampleTradeBillRows(rows, { billType: 'ALL' }));

async function main(): Promise<void> {
  const startRss = process.memoryUsage.rss();
  let t = performance.now();
  let bytes = 0;
  for (const chunk of chunks()) bytes += chunk.length;
  const writeMs = performance.now() - t;

  const source = gzip ? [gzipSync(Buffer.concat([...chunks()]))] : chunks();
  peakRss = process.memoryUsage.rss();
  t = performance.now();
  const reader = readTradeBill(source, { billType: 'ALL' });
  let count = 0;
  for await (const row of reader) count += row.totalFee >= 0 ? 1 : 0;
  const totalMs = performance.now() - t;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());

  if (reader.summary?.count !== rows || count !== rows) throw new Error(`read ${count} rows, summary ${reader.summary?.count}`);
  const parseMs = gzip ? totalMs : totalMs - writeMs;
  console.log(`trade bill: ${rows} rows, ${mib(bytes)} of text${gzip ? ' (gzip)' : ''}`);
  console.log(`  write only         ${Math.round(rows / (writeMs / 1000)).toLocaleString('en')} rows/s`);
  console.log(`  ${gzip ? 'gunzip + parse    ' : 'write + parse     '} ${Math.round(rows / (totalMs / 1000)).toLocaleString('en')} rows/s (${(totalMs / 1000).toFixed(2)} s)`);
  if (!gzip) console.log(`  parse (difference) ${Math.round(rows / (parseMs / 1000)).toLocaleString('en')} rows/s`);
  console.log(`  RSS at start ${mib(startRss)}, peak while parsing ${mib(peakRss)}, maxRSS ${mib(process.resourceUsage().maxRSS * 1024)}`);
}

await main();
