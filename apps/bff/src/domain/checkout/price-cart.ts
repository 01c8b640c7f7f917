import type { CreateOrderRequest } from '@checkout/protocol/contract';
import type { OrderItemRecord } from '../orders/order-record';
import type { ProductRepository } from './product-repository';
import type { SubsidyRule } from './subsidy-rule';
import { DomainError } from '../domain-error';
import { computeOrderSubsidy } from './subsidy-rule';

export interface PricedCart {
  items: OrderItemRecord[];
  totalFen: number;
  subsidyDiscountFen: number;
  payableFen: number;
}

/** WeChat Pay's total_fee is an int; we also keep totals far below 2^31 fen. */
const maxOrderFen = 2_000_000_000;

export interface CartToPrice {
  items: CreateOrderRequest['items'];
  /** The buyer claims the national subsidy (an order then also carries their details). */
  claimSubsidy: boolean;
}

/** Prices come from the catalog only; whatever the client sent about prices is never read. */
export async function priceCart(deps: { products: ProductRepository }, request: CartToPrice, rule: SubsidyRule): Promise<PricedCart> {
  const ids = [...new Set(request.items.map((item) => item.productId))];
  const found = new Map((await deps.products.findByIds(ids)).map((product) => [product.id, product]));

  const missing = request.items.flatMap((item, index) =>
    found.has(item.productId) ? [] : [{ path: `items.${index}.productId`, message: `unknown product ${item.productId}` }],
  );
  if (missing.length > 0) throw new DomainError('PRODUCT_NOT_FOUND', 'one or more products do not exist', missing);

  const lines = request.items.map((item, index) => {
    const product = found.get(item.productId);
    if (!product) throw new Error('unreachable: checked above');
    if (!product.active) throw new DomainError('PRODUCT_UNAVAILABLE', `product ${product.id} is not for sale`, [{ path: `items.${index}.productId`, message: 'not for sale' }]);
    return { product, quantity: item.quantity };
  });
  const discounts =
    !request.claimSubsidy
      ? lines.map(() => 0)
      : computeOrderSubsidy(
          rule,
          lines.map(({ product, quantity }) => ({ unitPriceFen: product.priceFen, quantity, appliance: product.appliance })),
        ).lineDiscountsFen;
  const items = lines.map(
    ({ product, quantity }, index): OrderItemRecord => ({
      lineNo: index + 1,
      productId: product.id,
      name: product.name,
      quantity,
      unitPriceFen: product.priceFen,
      subsidyDiscountFen: discounts[index] ?? 0,
      applianceId: product.appliance?.applianceId ?? null,
      brand: product.appliance?.brand ?? null,
      energyGrade: product.appliance?.energyGrade ?? null,
    }),
  );

  const totalFen = items.reduce((sum, item) => sum + item.unitPriceFen * item.quantity, 0);
  const subsidyDiscountFen = items.reduce((sum, item) => sum + item.subsidyDiscountFen, 0);
  const payableFen = totalFen - subsidyDiscountFen;
  if (totalFen > maxOrderFen) throw new DomainError('VALIDATION_FAILED', 'order total is too large', [{ path: 'items', message: `total over ${maxOrderFen} fen` }]);
  if (payableFen < 1) throw new DomainError('VALIDATION_FAILED', 'order total must be at least 1 fen', [{ path: 'items', message: 'payable amount below 1 fen' }]);
  return { items, totalFen, subsidyDiscountFen, payableFen };
}
