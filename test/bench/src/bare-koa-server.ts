// The baseline: a bare Koa route in its own process, started the same way as the BFF (node + tsx
// loader, loopback). POST reads the whole body (like /wxpay/notify) and answers a constant XML ack.
import Koa from 'koa';
import { announceListening } from './announce-listening';

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.method === 'POST') {
    let size = 0;
    for await (const chunk of ctx.req) size += (chunk as Buffer).length;
    ctx.type = 'text/xml';
    ctx.body = size >= 0 ? '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>' : '';
    return;
  }
  ctx.body = { ok: true };
});
const server = app.listen(Number(process.env.PORT ?? '0'), '127.0.0.1', () => announceListening(server));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
