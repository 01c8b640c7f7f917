import pg from 'pg';

export interface OrderLedger {
  status: string;
  transactionId: string | null;
  /** order_events of kind 'paid': one per pending → paid transition. */
  paidEvents: number;
  closedEvents: number;
  notifications: number;
  appliedNotifications: number;
  /** payment_anomalies kinds recorded for the order. */
  anomalies: string[];
}

/** What the shared database says about each order, read directly (not through a BFF). */
export async function readOrderLedger(databaseUrl: string, orderIds: readonly string[]): Promise<Map<string, OrderLedger>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      id: string;
      status: string;
      transaction_id: string | null;
      paid_events: number;
      closed_events: number;
      notifications: number;
      applied: number;
      anomalies: string[];
    }>(
      `select o.id, o.status, o.transaction_id,
              (select count(*)::int from order_events e where e.order_id = o.id and e.kind = 'paid') as paid_events,
              (select count(*)::int from order_events e where e.order_id = o.id and e.kind = 'closed') as closed_events,
              (select count(*)::int from pay_notifications n where n.order_id = o.id) as notifications,
              (select count(*)::int from pay_notifications n where n.order_id = o.id and n.applied = 1) as applied,
              array(select a.kind from payment_anomalies a where a.order_id = o.id order by a.kind) as anomalies
         from orders o where o.id = any($1)`,
      [orderIds],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          status: row.status,
          transactionId: row.transaction_id,
          paidEvents: row.paid_events,
          closedEvents: row.closed_events,
          notifications: row.notifications,
          appliedNotifications: row.applied,
          anomalies: row.anomalies,
        },
      ]),
    );
  } finally {
    await client.end();
  }
}
