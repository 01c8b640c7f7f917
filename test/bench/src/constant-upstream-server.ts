// The same-I/O baseline's upstream: answers every POST with one constant unifiedorder-sized XML
// body, so the baseline pays for an HTTP round trip but not for WeChat Pay's (the emulator's) work.
import { createServer } from 'node:http';
import { announceListening } from './announce-listening';

const answer = Buffer.from(
  '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg><appid><![CDATA[wx0000000000000000]]></appid><mch_id><![CDATA[1900000000]]></mch_id><nonce_str><![CDATA[0123456789abcdef0123456789abcdef]]></nonce_str><sign><![CDATA[0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF]]></sign><result_code><![CDATA[SUCCESS]]></result_code><prepay_id><![CDATA[wx201410272009395522657a690389285100]]></prepay_id><trade_type><![CDATA[JSAPI]]></trade_type></xml>',
);
const server = createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/xml', 'content-length': answer.length });
    res.end(answer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? '0'), '127.0.0.1', () => announceListening(server));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
