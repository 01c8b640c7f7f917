import type { Quote, QuoteRequest } from '@checkout/protocol/contract';
import type { ProductRepository } from './product-repository';
import type { SubsidyRule } from './subsidy-rule';
import { priceCart } from './price-cart';

/**
 * What an order for these lines would cost, without creating one: the same pricing, validation
 * and error codes as checkout, so the amounts the buyer sees before paying are the order's.
 */
export async function quoteCart(deps: { products: ProductRepository; policy: { subsidy: SubsidyRule } }, request: Required<QuoteRequest>): Promise<Quote> {
  const cart = await priceCart(deps, { items: request.items, claimSubsidy: request.claimSubsidy }, deps.policy.subsidy);
  return {
    items: cart.items.map((item) => ({
      productId: item.productId,
      name: item.name,
      quantity: item.quantity,
      unitPriceFen: item.unitPriceFen,
      lineTotalFen: item.unitPriceFen * item.quantity,
      subsidyDiscountFen: item.subsidyDiscountFen,
    })),
    totalFen: cart.totalFen,
    subsidyDiscountFen: cart.subsidyDiscountFen,
    payableFen: cart.payableFen,
  };
}
