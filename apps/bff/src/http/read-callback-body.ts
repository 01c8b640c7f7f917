import type { Context } from 'koa';
import { DomainError } from '../domain/domain-error';
import { readRawBody } from './read-raw-body';

/**
 * The raw body of a WeChat Pay callback (notify_url), read without any body parser. Oversize: the
 * XML FAIL ack is answered here (413, connection closed) and null is returned.
 */
export async function readCallbackBody(ctx: Context, limitBytes: number, failAck: (message: string) => string): Promise<string | null> {
  ctx.type = 'text/xml; charset=utf-8';
  try {
    return await readRawBody(ctx.req, limitBytes);
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'PAYLOAD_TOO_LARGE') throw error;
    ctx.set('Connection', 'close');
    ctx.status = 413;
    ctx.body = failAck('body too large');
    return null;
  }
}
