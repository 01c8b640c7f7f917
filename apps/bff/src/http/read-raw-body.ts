import type { IncomingMessage } from 'node:http';
import { DomainError } from '../domain/domain-error';

/**
 * Reads the request body as UTF-8 with a hard byte limit: refuses early on a large
 * Content-Length and stops reading as soon as the limit is crossed (chunked bodies too).
 */
export async function readRawBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    throw tooLarge(limitBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      req.resume();
      throw tooLarge(limitBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(limitBytes: number): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', `request body exceeds ${limitBytes} bytes`);
}
