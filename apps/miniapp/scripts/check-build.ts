// `taro build` exits 0 on a bad config without writing anything: check the outputs really exist
// and that nothing server-only or un-inlined slipped into the bundles.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const problems: string[] = [];

const need = (relative: string) => {
  if (!existsSync(path.join(dist, relative))) problems.push(`missing dist/${relative}`);
};

for (const file of ['weapp/app.js', 'weapp/app.json', 'weapp/app.wxss', 'weapp/base.wxml', 'h5/index.html']) need(file);
if (existsSync(path.join(dist, 'weapp/app.json'))) {
  const app = JSON.parse(readFileSync(path.join(dist, 'weapp/app.json'), 'utf8')) as { pages: string[] };
  for (const page of app.pages) for (const ext of ['js', 'json', 'wxml']) need(`weapp/${page}.${ext}`);
}

/** Markers of code that must never reach a client: the wxpay protocol (keys, XML), node built-ins. */
const forbidden: [RegExp, string][] = [
  [/XML_DOCTYPE_FORBIDDEN|fast-xml-parser|XMLParser/, 'server-only WeChat Pay protocol code (@checkout/protocol/wxpay or fast-xml-parser)'],
  [/require\("node:|from"node:/, 'a node:* import'],
  [/process\.env\.TARO_APP_/, 'an un-inlined process.env.TARO_APP_* reference (declare the key in .env)'],
  [/BEGIN (RSA )?PRIVATE KEY/, 'a private key'],
];
const scan = (dir: string) => {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) scan(full);
    else if (entry.name.endsWith('.js')) {
      const text = readFileSync(full, 'utf8');
      for (const [pattern, what] of forbidden) if (pattern.test(text)) problems.push(`${path.relative(dist, full)} contains ${what}`);
    }
  }
};
scan(path.join(dist, 'weapp'));
scan(path.join(dist, 'h5'));

if (problems.length > 0) {
  console.error(`check-build: FAIL\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('check-build: weapp and h5 outputs present, no server-only code in the bundles');
