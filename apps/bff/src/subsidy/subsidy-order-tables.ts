import type { Kysely, Transaction } from 'kysely';

/**
 * The columns of the BFF's orders, order_items and order_subsidies tables that the subsidy sync
 * reads (see db/schema.ts). Only reads: the BFF's repository owns these tables.
 */
export interface SubsidyOrderTables {
  orders: {
    id: string;
    out_trade_no: string;
    status: string;
    total_fen: number | string;
    subsidy_discount_fen: number | string;
    paid_at: string | null;
  };
  order_items: {
    order_id: string;
    line_no: number;
    subsidy_discount_fen: number | string;
    appliance_id: number | null;
    brand: string | null;
    energy_grade: string | null;
  };
  order_subsidies: {
    order_id: string;
    identity_document_type: string;
    receive_region_code: string;
    qualification_region_code: number | string;
    pii_sealed: string;
  };
}

/** Kysely<DB> is invariant in DB: the one cast from the BFF's database type to the columns read here. */
export function asSubsidyOrderDb<DB extends SubsidyOrderTables>(db: Kysely<DB> | Transaction<DB>): Kysely<SubsidyOrderTables> {
  return db as unknown as Kysely<SubsidyOrderTables>;
}
