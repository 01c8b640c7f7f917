import type { EnergyGrade, IdentityDocumentType, OrderStatus } from '@checkout/protocol/contract';
import type { RefundStatus } from '../refunds/refund-record';

export type SignType = 'MD5' | 'HMAC-SHA256';

export interface OrderItemRecord {
  lineNo: number;
  productId: string;
  name: string;
  quantity: number;
  unitPriceFen: number;
  subsidyDiscountFen: number;
  /** Snapshot of the product's appliance data at order time (national subsidy). */
  applianceId: number | null;
  brand: string | null;
  energyGrade: EnergyGrade | null;
}

/**
 * The unifiedorder parameters, persisted before the first call so that every retry (and a later
 * re-order after prepay expiry) repeats them identically, as WeChat Pay requires.
 */
export interface UnifiedOrderParams {
  body: string;
  totalFee: number;
  spbillCreateIp: string;
  notifyUrl: string;
  openid: string;
  timeStart: string;
  timeExpire: string;
  /** The merchant's unifiedorder settings at order time (absent on orders placed before they existed). */
  deviceInfo?: string;
  limitPay?: 'no_credit';
  receipt?: 'Y';
  profitSharing?: 'Y' | 'N';
  sceneInfo?: { storeInfo: ShopStoreInfo };
  /** 单品优惠 goods_detail JSON, built once from the order lines. */
  detail?: string;
}

/** The shop as scene_info reports it (门店信息). */
export interface ShopStoreInfo {
  id: string;
  name: string;
  /** 6-digit 行政区划码. */
  areaCode: string;
  address: string;
}

export interface OrderRecord {
  id: string;
  userId: string;
  outTradeNo: string;
  status: OrderStatus;
  appId: string;
  mchId: string;
  signType: SignType;
  totalFen: number;
  subsidyDiscountFen: number;
  payableFen: number;
  unifiedOrder: UnifiedOrderParams;
  prepayId: string | null;
  prepayExpiresAt: Date | null;
  transactionId: string | null;
  cancelRequested: boolean;
  idempotencyKey: string | null;
  requestFingerprint: string | null;
  lastFailureCode: string | null;
  createdAt: Date;
  expiresAt: Date;
  paidAt: Date | null;
  closedAt: Date | null;
  lastQueriedAt: Date | null;
  /** The payment landed after the order was closed, cancelled or failed (a payment anomaly). */
  paidAfterClose: boolean;
  /** Refunded or being refunded of this order's own payment. */
  refundHeldFen: number;
  /** Refunded to the buyer. */
  refundedFen: number;
  /** Every refund of the order (its own payment and any second payment), oldest first. */
  refunds: OrderRefundSummary[];
  items: OrderItemRecord[];
}

/** A refund as the order shows it. */
export interface OrderRefundSummary {
  id: string;
  refundFen: number;
  status: RefundStatus;
  createdAt: Date;
  succeededAt: Date | null;
}

/** Buyer data for a national-subsidy claim. PII is sealed before it reaches a repository. */
export interface SubsidyClaimRecord {
  identityDocumentType: IdentityDocumentType;
  receiveRegionCode: string;
  qualificationRegionCode: number;
  /** realName, idCardNumber, phoneNumber as sealed ciphertext (see PiiCipher). */
  sealedPii: string;
}
