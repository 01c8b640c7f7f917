import type { Kysely, Selectable } from 'kysely';
import { fulfillmentSchema, type EnergyGrade } from '@checkout/protocol/contract';
import type { Database, ProductsTable } from '../db/schema';
import type { ProductRecord, ProductRepository } from '../domain/checkout/product-repository';

export class KyselyProductRepository implements ProductRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async listActive(): Promise<ProductRecord[]> {
    const rows = await this.db.selectFrom('products').selectAll().where('active', '=', 1).orderBy('sort_order').orderBy('id').execute();
    return rows.map(toProduct);
  }

  async findByIds(ids: readonly string[]): Promise<ProductRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('products').selectAll().where('id', 'in', [...ids]).execute();
    return rows.map(toProduct);
  }
}

function toProduct(row: Selectable<ProductsTable>): ProductRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    priceFen: Number(row.price_fen),
    imageUrl: row.image_url,
    appliance:
      row.appliance_id !== null && row.brand !== null
        ? { applianceId: Number(row.appliance_id), brand: row.brand, energyGrade: (row.energy_grade ?? 'ENERGY_GRADE_UNKNOWN') as EnergyGrade }
        : null,
    active: Number(row.active) === 1,
    // An unknown value is treated as a parcel: never reported shipped without the shop saying so.
    fulfillment: fulfillmentSchema.catch('courier').parse(row.fulfillment),
  };
}
