import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { PaymentAnomalyKind, PaymentAnomalyPage, PaymentAnomalyRecord, PaymentAnomalyRepository } from '../domain/orders/payment-anomaly';

export class KyselyPaymentAnomalyRepository implements PaymentAnomalyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(page: PaymentAnomalyPage): Promise<PaymentAnomalyRecord[]> {
    let query = this.db.selectFrom('payment_anomalies').selectAll();
    if (page.status !== undefined) query = query.where('status', '=', page.status);
    const before = page.before;
    if (before) {
      const at = before.detectedAt.toISOString();
      query = query.where((eb) => eb.or([eb('detected_at', '<', at), eb.and([eb('detected_at', '=', at), eb('id', '<', before.id)])]));
    }
    const rows = await query.orderBy('detected_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
    return rows.map((row) => ({
      id: row.id,
      orderId: row.order_id,
      outTradeNo: row.out_trade_no,
      kind: row.kind as PaymentAnomalyKind,
      transactionId: row.transaction_id,
      amountFen: Number(row.amount_fen),
      status: row.status,
      detail: row.detail,
      detectedAt: new Date(row.detected_at),
    }));
  }
}
