import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { Router } from '@koa/router';
import type { EmulatorDeps } from '../emulator-deps';
import { billDayVerdict } from '../bill/bill-day';
import { billEntries } from '../bill/bill-ledger';
import { billChunks } from '../bill/trade-bill-format';
import { checkBillRequest } from '../rules/downloadbill-rules';
import { billFailXml, billRequestFailXml, type BillReturnMsg } from '../wire/downloadbill-wire';
import { v2Endpoint, type V2Outcome } from './v2-endpoint';

const XML_TYPE = 'text/xml; charset=utf-8';
// Neither content type is documented; these say what the body is.
const TEXT_TYPE = 'text/plain; charset=utf-8';
const GZIP_TYPE = 'application/x-gzip';

const refusal = (returnMsg: BillReturnMsg): V2Outcome => ({ kind: 'raw', code: returnMsg, contentType: XML_TYPE, body: billFailXml(returnMsg) });

/** `POST /pay/downloadbill`: a merchant's trade bill of one Beijing day, built from the ledger. */
export function billRoutes(deps: EmulatorDeps): Router {
  const router = new Router();
  router.all(
    '/pay/downloadbill',
    v2Endpoint(deps, {
      endpoint: 'downloadbill',
      answers: { requestFail: (code) => billRequestFailXml(code), systemError: () => refusal('SYSTEMERROR') },
      handle({ fields, merchant }) {
        const checked = checkBillRequest(fields);
        if (!checked.ok) return refusal(checked.returnMsg);
        const { billDate, billType, gzip } = checked.value;
        const day = billDayVerdict(billDate, deps.clock.nowMs(), deps.billReadyHourBeijing);
        if (!day.ok) return refusal(day.reason === 'invalid' ? 'invalid bill_date' : 'Bill Creating');
        // The emulator has no recharge coupons, so no recharge-coupon refunds and no such bill.
        if (billType === 'RECHARGE_REFUND') return refusal('No Bill Exist');
        // Rows are taken now, in one pass; the text is formatted while the response is sent.
        const entries = billEntries(deps.store, deps.billFaults, {
          mchId: merchant.mchId,
          billDate,
          payments: billType !== 'REFUND',
          refunds: billType !== 'SUCCESS',
          builtAtMs: day.readyAtMs,
        });
        if (entries.length === 0) return refusal('No Bill Exist');
        const text = Readable.from(billChunks(billType, entries, { corruptSummary: deps.billFaults.isSummaryCorrupt(billDate) }), { objectMode: false });
        if (!gzip) return { kind: 'raw', code: 'SUCCESS', contentType: TEXT_TYPE, body: text };
        const zipped = createGzip();
        text.on('error', (error) => zipped.destroy(error));
        return { kind: 'raw', code: 'SUCCESS', contentType: GZIP_TYPE, body: text.pipe(zipped) };
      },
    }),
  );
  return router;
}
