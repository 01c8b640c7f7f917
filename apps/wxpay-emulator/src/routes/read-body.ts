import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; bytes: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Reads the raw request body up to `limitBytes`. The raw bytes matter: v2 needs them to detect
 * non-UTF-8 input and v3 signatures cover the exact bytes sent.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    return Promise.resolve({ ok: false, reason: 'too-large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        // Keep draining (discarding) so the answer can still be written.
        req.resume();
        finish({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ ok: true, bytes: Buffer.concat(chunks) });
    const onError = (): void => finish({ ok: false, reason: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}

export type JsonBodyResult = { ok: true; value: unknown; bytes: Buffer } | { ok: false; reason: 'too-large' | 'aborted' | 'not-json' };

/** Reads and parses a JSON body (UTF-8); a parse failure is a result, never a throw. */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<JsonBodyResult> {
  const body = await readBody(req, limitBytes);
  if (!body.ok) return body;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(body.bytes);
    return { ok: true, value: JSON.parse(text) as unknown, bytes: body.bytes };
  } catch {
    return { ok: false, reason: 'not-json' };
  }
}
