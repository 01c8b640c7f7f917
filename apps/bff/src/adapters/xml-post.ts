import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface XmlAnswer {
  status: number;
  body: string;
}

/** POSTs an XML body and reads the whole answer; rejects on connection errors and timeouts. */
export type XmlPost = (url: string, xml: string, timeoutMs: number) => Promise<XmlAnswer>;

/** Client certificate (mutual TLS for `/secapi/*`) and an extra CA to trust (the emulator's dev CA). */
export interface XmlPostTls {
  credentials: { cert: string; key: string } | { pfx: Buffer; passphrase: string };
  ca: string | null;
}

/** WeChat Pay's v2 answers are a few hundred bytes; anything this large is not one. */
const maxAnswerBytes = 1024 * 1024;

/**
 * node:http(s) with keep-alive connections, for the gateway's calls. fetch (undici) cost about a
 * fifth of the BFF's CPU per checkout: it streams even a string body chunk by chunk and builds
 * WHATWG streams, a Response and a transferable AbortSignal per call. TLS verification is
 * Node's default (on).
 */
export function createXmlPost(options: { tls?: XmlPostTls } = {}): XmlPost {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true, ...options.tls?.credentials, ...(options.tls?.ca ? { ca: options.tls.ca } : {}) }) };
  return (url, xml, timeoutMs) =>
    new Promise<XmlAnswer>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const body = Buffer.from(xml, 'utf8');
      const req = (secure ? httpsRequest : httpRequest)(target, {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { 'content-type': 'text/xml; charset=utf-8', 'content-length': body.length },
      });
      // One deadline for the whole exchange (connect, send, answer, body), like AbortSignal.timeout.
      const timer = setTimeout(() => {
        const error = new Error(`no complete answer within ${String(timeoutMs)} ms`);
        error.name = 'TimeoutError';
        req.destroy(error);
      }, timeoutMs);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        reject(error);
      };
      req.on('error', fail);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxAnswerBytes) {
            req.destroy(new Error(`answer larger than ${String(maxAnswerBytes)} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('aborted', () => fail(new Error('connection closed before the answer was complete')));
        res.on('end', () => {
          clearTimeout(timer);
          // Decoded like fetch's text(): UTF-8, a leading byte order mark dropped.
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '') });
        });
      });
      req.end(body);
    });
}

/**
 * POSTs an XML body and hands back the answer as a stream (a trade bill can be hundreds of
 * megabytes): the caller reads it at its own pace. `timeoutMs` bounds the wait for the answer to
 * start and any later silence on the connection.
 */
export function postXmlForStream(url: string, xml: string, timeoutMs: number): Promise<{ status: number; body: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const body = Buffer.from(xml, 'utf8');
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', 'content-length': body.length } });
    req.setTimeout(timeoutMs, () => {
      const error = new Error(`no answer within ${String(timeoutMs)} ms`);
      error.name = 'TimeoutError';
      req.destroy(error);
    });
    req.on('error', reject);
    req.on('response', (res) => resolve({ status: res.statusCode ?? 0, body: res }));
    req.end(body);
  });
}
