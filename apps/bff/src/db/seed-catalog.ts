import type { Kysely } from 'kysely';
import type { Fulfillment, Product } from '@checkout/protocol/contract';
import { productImagePath } from '../product-image-path';
import type { Database } from './schema';

/** A catalog product and how it reaches the buyer (courier parcels are uploaded when the shop records them). */
export type CatalogProduct = Product & { fulfillment: Fulfillment };

/**
 * The demo catalog: prices in fen; appliances carry national-subsidy (国补) data; one product of
 * each fulfillment kind at least (virtual and pick-up goods are reported shipped at payment).
 * imageUrl is a path on the BFF itself (assets/product-images, served by the product image
 * route), not an absolute URL: the mini-program resolves it against the API base it already
 * has, so the same row works for the weapp, the H5 build and any deployment's host name.
 */
export const demoCatalog: readonly CatalogProduct[] = [
  {
    id: 'fridge-510',
    name: '十字对开门冰箱 510L',
    description: '一级能效，风冷无霜',
    priceFen: 4_299_00,
    imageUrl: productImagePath('fridge-510.svg'),
    appliance: { applianceId: 1, brand: '示例电器', energyGrade: 'FIRST_LEVEL' },
    fulfillment: 'courier',
  },
  {
    id: 'aircon-1p5',
    name: '新一级变频空调 1.5 匹',
    description: '挂机，自清洁',
    priceFen: 2_699_00,
    imageUrl: productImagePath('aircon-1p5.svg'),
    appliance: { applianceId: 3, brand: '示例电器', energyGrade: 'FIRST_LEVEL' },
    fulfillment: 'courier',
  },
  {
    id: 'washer-10kg',
    name: '滚筒洗衣机 10kg',
    description: '二级能效，洗烘一体',
    priceFen: 1_999_00,
    imageUrl: productImagePath('washer-10kg.svg'),
    appliance: { applianceId: 2, brand: '示例电器', energyGrade: 'SECOND_LEVEL' },
    fulfillment: 'courier',
  },
  { id: 'kettle', name: '电热水壶 1.7L', description: '304 不锈钢内胆', priceFen: 89_00, imageUrl: productImagePath('kettle.svg'), appliance: null, fulfillment: 'courier' },
  { id: 'filter-pack', name: '净水滤芯套装', description: '适配示例净水器', priceFen: 199_00, imageUrl: productImagePath('filter-pack.svg'), appliance: null, fulfillment: 'courier' },
  { id: 'ecard-50', name: '电子礼品卡 50 元', description: '虚拟商品，支付后即发放', priceFen: 50_00, imageUrl: productImagePath('ecard-50.svg'), appliance: null, fulfillment: 'virtual' },
  { id: 'install-voucher', name: '上门安装预约券', description: '到店自提凭证', priceFen: 30_00, imageUrl: productImagePath('install-voucher.svg'), appliance: null, fulfillment: 'pickup' },
  { id: 'test-1fen', name: '测试商品（1 分钱）', description: '用于联调支付流程', priceFen: 1, imageUrl: productImagePath('test-1fen.svg'), appliance: null, fulfillment: 'courier' },
];

/** Inserts catalog products that are missing; never overwrites a merchant's edits. */
export async function seedCatalog(db: Kysely<Database>, catalog: readonly (Product & { fulfillment?: Fulfillment })[] = demoCatalog): Promise<void> {
  if (catalog.length === 0) return;
  await db
    .insertInto('products')
    .values(
      catalog.map((product, index) => ({
        id: product.id,
        name: product.name,
        description: product.description,
        price_fen: product.priceFen,
        image_url: product.imageUrl,
        active: 1,
        sort_order: index,
        appliance_id: product.appliance?.applianceId ?? null,
        brand: product.appliance?.brand ?? null,
        energy_grade: product.appliance?.energyGrade ?? null,
        fulfillment: product.fulfillment ?? 'courier',
      })),
    )
    .onConflict((conflict) => conflict.column('id').doNothing())
    .execute();
}
