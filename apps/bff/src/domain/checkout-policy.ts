import type { SignType, UnifiedOrderParams } from './orders/order-record';
import type { SubsidyRule } from './checkout/subsidy-rule';

/** Merchant facts and timing rules the use-cases apply; built from config. */
export interface CheckoutPolicy {
  appId: string;
  mchId: string;
  signType: SignType;
  notifyUrl: string;
  /** Server IP sent as spbill_create_ip (JSAPI: the merchant server's IP is accepted). */
  spbillCreateIp: string;
  /** Set once by the merchant and sent on every unifiedorder (each one only when configured). */
  merchantOrderFields: MerchantOrderFields;
  /** 单品优惠: send the order lines as unifiedorder `detail`. */
  singleItemDiscount: boolean;
  /** unifiedorder `body` prefix, e.g. the shop name. */
  orderBodyPrefix: string;
  /** After this an unpaid order is closed (also sent as time_expire). */
  paymentWindowSeconds: number;
  /** WeChat Pay keeps a prepay_id for 2 hours. */
  prepayLifetimeSeconds: number;
  /** A prepay_id this close to expiry is renewed instead of reused. */
  prepayRenewMarginSeconds: number;
  /** GET /api/orders/:id confirms a pending order older than this with orderquery. */
  queryAfterSeconds: number;
  /** Minimum gap between two orderquery calls for the same order. */
  requeryIntervalSeconds: number;
  /** closeorder is refused earlier than this after creation (5 minutes). */
  closeFloorSeconds: number;
  subsidy: SubsidyRule;
  refunds: RefundPolicy;
}

export type MerchantOrderFields = Pick<UnifiedOrderParams, 'deviceInfo' | 'limitPay' | 'receipt' | 'profitSharing' | 'sceneInfo'>;

export interface RefundPolicy {
  /** A refund WeChat Pay accepted is confirmed with refundquery this long after, then with backoff. */
  queryAfterSeconds: number;
  /** Money taken by mistake (double payment, payment after close): refunded at once, or held for an operator. */
  anomalies: 'automatic' | 'hold';
  /** refund_desc of the automatic refunds (shown to the buyer, ≤ 80 characters). */
  anomalyReason: string;
}
