import type { Kysely } from 'kysely';
import { energyGradeSchema, identityDocumentTypeSchema } from '@checkout/protocol/contract';
import type { PaidSubsidyOrder } from './gov-subsidy-sync-job';
import type { SealedSubsidyClaim } from './sealed-subsidy-claim';
import type { SubsidyOrderTables } from './subsidy-order-tables';

export interface StoredSubsidyOrder {
  order: PaidSubsidyOrder & { status: string; paidAt: Date | null };
  /** Null when the buyer did not claim the subsidy. */
  claim: SealedSubsidyClaim | null;
}

/** Reads an order, its lines and its subsidy claim (inside the caller's transaction when given one). */
export async function loadSubsidyOrder(db: Kysely<SubsidyOrderTables>, ref: { orderId: string } | { outTradeNo: string }): Promise<StoredSubsidyOrder | null> {
  const row = await db
    .selectFrom('orders')
    .select(['id', 'out_trade_no', 'status', 'total_fen', 'subsidy_discount_fen', 'paid_at'])
    .$call((qb) => ('orderId' in ref ? qb.where('id', '=', ref.orderId) : qb.where('out_trade_no', '=', ref.outTradeNo)))
    .executeTakeFirst();
  if (!row) return null;
  const items = await db
    .selectFrom('order_items')
    .select(['subsidy_discount_fen', 'appliance_id', 'brand', 'energy_grade'])
    .where('order_id', '=', row.id)
    .orderBy('line_no')
    .execute();
  const claim = await db
    .selectFrom('order_subsidies')
    .select(['identity_document_type', 'receive_region_code', 'qualification_region_code', 'pii_sealed'])
    .where('order_id', '=', row.id)
    .executeTakeFirst();
  return {
    order: {
      id: row.id,
      outTradeNo: row.out_trade_no,
      status: row.status,
      totalFen: Number(row.total_fen),
      subsidyDiscountFen: Number(row.subsidy_discount_fen),
      paidAt: row.paid_at === null ? null : new Date(row.paid_at),
      items: items.map((item) => ({
        subsidyDiscountFen: Number(item.subsidy_discount_fen),
        applianceId: item.appliance_id,
        brand: item.brand,
        energyGrade: item.energy_grade === null ? null : energyGradeSchema.parse(item.energy_grade),
      })),
    },
    claim: claim
      ? {
          identityDocumentType: identityDocumentTypeSchema.parse(claim.identity_document_type),
          receiveRegionCode: claim.receive_region_code,
          qualificationRegionCode: Number(claim.qualification_region_code),
          sealedPii: claim.pii_sealed,
        }
      : null,
  };
}
