import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../../test-support/test-stack';
import { startTestStack } from '../../test-support/test-stack';

/** Sends the head of a request and part of its body, then stalls; resolves with what the server wrote before closing. */
function stalledRequest(url: string, path: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<xml>`);
    });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

describe('HTTP_REQUEST_TIMEOUT_MS', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ HTTP_REQUEST_TIMEOUT_MS: '1000' });
  });
  afterAll(() => stack.close());

  it('a client that stops sending its body is answered 408 and disconnected (not held until Node’s 300 s default)', async () => {
    const answer = await stalledRequest(stack.bff.url, '/wxpay/notify');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    // The server still serves afterwards.
    expect((await stack.api('/healthz')).status).toBe(200);
  });
});
