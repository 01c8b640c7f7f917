import type { OrderShipping } from '@checkout/protocol/contract';

/** What WeChat's receipt confirmation component (确认收货组件) takes. */
export interface OpenBusinessViewOptions {
  businessType: 'weappOrderConfirm';
  extraData: { merchant_id: string; merchant_trade_no: string };
}

export type OpenBusinessView = (options: OpenBusinessViewOptions) => Promise<unknown>;

/**
 * The component's answer is advisory: receipt is only real once WeChat reports it to the BFF
 * (message push or get_order), so the page always re-reads the order afterwards.
 */
export type ReceiptConfirmationOutcome = { kind: 'returned' } | { kind: 'unsupported' } | { kind: 'failed'; errMsg: string };

/**
 * Opens WeChat's receipt confirmation for the order (base library ≥ 2.6.0; `openBusinessView`
 * null on older clients and on H5).
 */
export async function openReceiptConfirmation(openBusinessView: OpenBusinessView | null, target: NonNullable<OrderShipping['confirmReceipt']>): Promise<ReceiptConfirmationOutcome> {
  if (!openBusinessView) return { kind: 'unsupported' };
  try {
    await openBusinessView({ businessType: 'weappOrderConfirm', extraData: { merchant_id: target.merchantId, merchant_trade_no: target.merchantTradeNo } });
    return { kind: 'returned' };
  } catch (error) {
    const errMsg = typeof error === 'object' && error !== null && typeof (error as { errMsg?: unknown }).errMsg === 'string' ? (error as { errMsg: string }).errMsg : 'openBusinessView:fail';
    return { kind: 'failed', errMsg };
  }
}
