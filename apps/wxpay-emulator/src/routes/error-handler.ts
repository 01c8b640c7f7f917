import type { Context, Next } from 'koa';
import { buildXml } from '@checkout/protocol/wxpay';

/**
 * Mounted first: an unexpected error still gets an answer in the shape the caller's endpoint
 * speaks (v2 XML, v3 JSON, jscode2session JSON), never a stack trace; unknown paths get a 404 in
 * that shape too.
 */
export function errorHandler(log: (line: Record<string, unknown>) => void) {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.respond !== false) notFound(ctx);
    } catch (error) {
      log({ msg: 'unhandled error', path: ctx.path, error: error instanceof Error ? error.message : String(error) });
      if (ctx.path.startsWith('/pay/') || ctx.path.startsWith('/payitil/') || ctx.path.startsWith('/secapi/')) {
        ctx.status = 200;
        ctx.type = 'text/xml; charset=utf-8';
        ctx.body = buildXml({ return_code: 'FAIL', return_msg: '系统繁忙,请稍后再试' });
      } else if (ctx.path.startsWith('/sns/') || ctx.path.startsWith('/cgi-bin/') || ctx.path.startsWith('/wxa/')) {
        ctx.status = 200;
        ctx.type = 'application/json; charset=utf-8';
        ctx.body = JSON.stringify({ errcode: -1, errmsg: 'system error' });
      } else {
        ctx.status = 500;
        ctx.type = 'application/json; charset=utf-8';
        ctx.body = JSON.stringify({ code: 'SYSTEM_ERROR', message: '系统错误' });
      }
    }
  };
}

function notFound(ctx: Context): void {
  ctx.status = 404;
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = JSON.stringify(
    ctx.path.startsWith('/v3/') ? { code: 'NOT_FOUND', message: `${ctx.method} ${ctx.path} 不存在` } : { code: 'NOT_FOUND', message: `no emulator route ${ctx.method} ${ctx.path}` },
  );
}
