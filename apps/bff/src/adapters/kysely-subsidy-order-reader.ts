import type { Kysely, Transaction } from 'kysely';
import { precompiled } from '../db/precompiled-query';
import { energyGradeSchema, identityDocumentTypeSchema } from '@checkout/protocol/contract';
import type { Database } from '../db/schema';
import type { StoredSubsidyOrder, SubsidyOrderReader } from '../domain/subsidy/subsidy-order-reader';

const selectClaim = precompiled((db: Kysely<Database>, p: { orderId: string }) => db.selectFrom('order_subsidies').select('order_id').where('order_id', '=', p.orderId));

/** Reads through the given handle: the caller's transaction inside a unit of work. */
export class KyselySubsidyOrderReader implements SubsidyOrderReader {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  async hasClaim(orderId: string): Promise<boolean> {
    const { rows } = await selectClaim(this.db, { orderId });
    return rows.length > 0;
  }

  async load(orderId: string): Promise<StoredSubsidyOrder | null> {
    const db = this.db;
    const row = await db
      .selectFrom('orders')
      .select(['id', 'out_trade_no', 'status', 'total_fen', 'subsidy_discount_fen', 'paid_at'])
      .where('id', '=', orderId)
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
}
