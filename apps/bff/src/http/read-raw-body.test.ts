import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRawBody } from './read-raw-body';

/** A real HTTP server whose handler reads with readRawBody (limit 1 KiB) and reports what it got. */
describe('readRawBody', () => {
  let server: Server;
  let port: number;
  const outcomes: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      readRawBody(req, 1024).then(
        (body) => {
          outcomes.push(`ok:${String(body.length)}`);
          res.end(`ok ${body}`);
        },
        (error: unknown) => {
          const code = (error as { code?: string }).code ?? 'error';
          outcomes.push(code);
          res.statusCode = code === 'PAYLOAD_TOO_LARGE' ? 413 : 400;
          res.end(code);
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Sends `chunks` without a Content-Length (chunked), or ends early when `abortAfter` is set. */
  function send(chunks: (string | Buffer)[], options: { abortAfter?: number } = {}): Promise<{ status: number; body: string } | 'aborted'> {
    return new Promise((resolve, reject) => {
      const req = request({ port, method: 'POST', path: '/', headers: { 'content-type': 'text/xml' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', (error) => (options.abortAfter === undefined ? reject(error) : resolve('aborted')));
      chunks.forEach((chunk, i) => {
        req.write(chunk);
        if (options.abortAfter === i + 1) setTimeout(() => req.destroy(), 50);
      });
      if (options.abortAfter === undefined) req.end();
    });
  }

  it('joins a chunked body in order, multi-byte characters split across chunks included', async () => {
    const text = '<xml><body><![CDATA[电热水壶]]></body></xml>';
    const bytes = Buffer.from(text);
    const cut = bytes.indexOf(Buffer.from('热')) + 1; // inside a 3-byte character
    const answer = await send([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(answer).toEqual({ status: 200, body: `ok ${text}` });
  });

  it('refuses a chunked body as soon as it crosses the limit, and answers 413 on the same connection', async () => {
    const answer = await send(['a'.repeat(800), 'b'.repeat(800)]);
    expect(answer).toEqual({ status: 413, body: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a client that goes away mid-body (nothing half-read is returned)', async () => {
    const before = outcomes.length;
    expect(await send(['<xml><a>'], { abortAfter: 1 })).toBe('aborted');
    await expect.poll(() => outcomes.length).toBe(before + 1);
    expect(outcomes.at(-1)).not.toMatch(/^ok:/);
  });
});
