import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '@checkout/protocol/contract';
import { bySize, expectOk, mapConcurrent, startStack, SuiteSummary, type ContractClient, type Stack } from '@checkout/test-harness';

const requestCount = bySize({ small: 300, full: 4000 });
const seed = Number(process.env.FUZZ_SEED ?? '20251125');

interface FuzzCase {
  method: string;
  path: string;
  auth: 'valid' | 'none' | 'garbage';
  contentType: string | null;
  body: string | Uint8Array | null;
}

const idArb = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.uuid(),
  fc.constantFrom('..%2F..%2Fetc%2Fpasswd', '%00', 'ord_' + 'a'.repeat(600), '__proto__', 'constructor', '1 OR 1=1', "' OR '1'='1", '%E0%A4%A'),
);
const jsonArb = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.record(
    {
      items: fc.oneof(
        fc.array(fc.record({ productId: fc.oneof(fc.constantFrom('kettle', 'fridge-510', 'test-1fen'), fc.string()), quantity: fc.oneof(fc.integer({ min: 1, max: 99 }), fc.integer(), fc.double(), fc.string(), fc.constant(null)) }, { requiredKeys: [] }), { maxLength: 25 }),
        fc.anything(),
      ),
      subsidy: fc.anything(),
      code: fc.oneof(fc.string({ maxLength: 200 }), fc.anything()),
      priceFen: fc.integer(),
    },
    { requiredKeys: [] },
  ).map((value) => JSON.stringify(value)),
);
const bodyArb = fc.oneof(
  jsonArb,
  fc.string({ maxLength: 500 }),
  fc.string({ maxLength: 300 }).map((text) => `<xml><return_code>SUCCESS</return_code><out_trade_no>${text}</out_trade_no></xml>`),
  fc.uint8Array({ maxLength: 2048 }),
  fc.constant('{"items":[{"productId":"kettle","quantity":1}],'.repeat(50)),
  fc.constant(null),
);
const contentTypeArb = fc.constantFrom('application/json', 'application/json; charset=gbk', 'text/xml', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', '', null);

// Nearly valid checkouts: real product ids, mostly valid quantities, random extra fields.
const nearlyValidOrderArb = fc
  .record({
    items: fc.array(
      fc.record({ productId: fc.constantFrom('kettle', 'fridge-510', 'washer-10kg', 'test-1fen', 'nope'), quantity: fc.oneof(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 }), fc.integer(), fc.constant(0)) }),
      { minLength: 1, maxLength: 4 },
    ),
    extra: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  })
  .map(({ items, extra }) => JSON.stringify({ ...extra, items }));

const caseArb: fc.Arbitrary<FuzzCase> = fc.oneof(
  fc.record({ method: fc.constant('POST'), path: fc.constant('/api/orders'), auth: fc.constant<FuzzCase['auth']>('valid'), contentType: fc.constant('application/json'), body: nearlyValidOrderArb }),
  fc.record({ method: fc.constant('POST'), path: fc.constant('/api/session'), auth: fc.constant<FuzzCase['auth']>('none'), contentType: contentTypeArb, body: bodyArb }),
  fc.record({ method: fc.constantFrom('GET', 'HEAD', 'DELETE'), path: fc.string({ maxLength: 30 }).map((q) => `/api/products?${encodeURIComponent(q)}`), auth: fc.constantFrom<FuzzCase['auth']>('valid', 'none', 'garbage'), contentType: fc.constant(null), body: fc.constant(null) }),
  fc.record({ method: fc.constant('POST'), path: fc.constant('/api/orders'), auth: fc.constantFrom<FuzzCase['auth']>('valid', 'valid', 'none', 'garbage'), contentType: contentTypeArb, body: bodyArb }),
  fc.record({
    method: fc.constantFrom('GET', 'POST'),
    path: fc.tuple(idArb, fc.constantFrom('', '/pay', '/cancel', '/refund', '/..')).map(([id, tail]) => `/api/orders/${encodeURIComponent(id)}${tail}`),
    auth: fc.constantFrom<FuzzCase['auth']>('valid', 'none', 'garbage'),
    contentType: contentTypeArb,
    body: bodyArb,
  }),
  fc.record({
    method: fc.constant('GET'),
    path: fc.tuple(fc.oneof(fc.integer(), fc.string({ maxLength: 10 })), fc.string({ maxLength: 250 })).map(([limit, cursor]) => `/api/orders?limit=${encodeURIComponent(String(limit))}&cursor=${encodeURIComponent(cursor)}`),
    auth: fc.constantFrom<FuzzCase['auth']>('valid', 'none'),
    contentType: fc.constant(null),
    body: fc.constant(null),
  }),
  fc.record({ method: fc.constant('POST'), path: fc.constant('/wxpay/notify'), auth: fc.constant<FuzzCase['auth']>('none'), contentType: contentTypeArb, body: bodyArb }),
  fc.record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
    path: fc.oneof(fc.constantFrom('/healthz', '/readyz', '/api', '/api/', '/wxpay', '/metrics', '/admin', '/%2e%2e/etc/passwd'), fc.string({ maxLength: 40 }).map((p) => `/${encodeURIComponent(p)}`)),
    auth: fc.constantFrom<FuzzCase['auth']>('valid', 'none', 'garbage'),
    contentType: contentTypeArb,
    body: bodyArb,
  }),
);

/**
 * Random and malformed requests against every public endpoint, reproducible by FUZZ_SEED. No
 * answer may be a 500 (or any 5xx but a provider outage), every /api error must follow the
 * contract's error body, and the BFF must still be alive and consistent afterwards.
 */
describe(`random-body fuzz: ${String(requestCount)} requests over every public endpoint (seed ${String(seed)})`, () => {
  const summary = new SuiteSummary('reliability:fuzz');
  let stack: Stack;
  let buyer: ContractClient;

  beforeAll(async () => {
    stack = await startStack({ name: 'fuzz', bffEnv: { LOG_LEVEL: 'warn' } });
    buyer = await stack.login();
  });
  afterAll(async () => {
    summary.print();
    await stack?.close();
  });

  it('never answers 500, always answers /api errors in the contract shape, never crashes', async () => {
    const cases = fc.sample(caseArb, { numRuns: requestCount, seed });
    summary.try(`${String(cases.length)} random requests (seed ${String(seed)}) over session, products, orders, order pay/cancel/get, history, notify and unknown routes`);
    const statuses = new Map<number, number>();
    const problems = await mapConcurrent(cases, 6, async (c): Promise<string | null> => {
      const headers: Record<string, string> = {};
      if (c.contentType !== null) headers['content-type'] = c.contentType;
      if (c.auth === 'garbage') headers.authorization = 'Bearer eyJhbGciOiJub25lIn0.e30.';
      const response = await buyer.raw(c.method, c.path, {
        headers,
        auth: c.auth === 'valid',
        ...(c.body === null || c.method === 'GET' || c.method === 'HEAD' ? {} : { body: c.body }),
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const where = `${c.method} ${c.path.slice(0, 80)} [${String(c.contentType)}] → ${String(response.status)} ${response.text.slice(0, 120)}`;
      if (response.status >= 500 && response.status !== 503) return where;
      if (c.path.startsWith('/api/') && response.status >= 400 && c.method !== 'HEAD') {
        let json: unknown;
        try {
          json = JSON.parse(response.text);
        } catch {
          return `${where} (not JSON)`;
        }
        if (!errorBodySchema.safeParse(json).success) return `${where} (not the contract error body)`;
      }
      return null;
    });
    expect(problems.filter((p) => p !== null)).toEqual([]);
    expect(stack.bffProcess.running).toBe(true);
    expect((await stack.api.raw('GET', '/healthz')).status).toBe(200);
    expect(expectOk(await buyer.listProducts()).products.length).toBeGreaterThan(0);
    const integrity = stack.database().integrity();
    expect(integrity.problems).toEqual([]);
    expect(stack.bffProcess.jsonLogs(50).map((line) => String(line.msg))).toEqual([]);
    const spread = [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${String(status)}×${String(n)}`).join(' ');
    summary.hold(`0 × 5xx, every /api error in the contract shape, BFF alive and consistent (${String(integrity.orders)} orders made by the fuzz, all whole); statuses ${spread}`);
  }, 240_000);
});
