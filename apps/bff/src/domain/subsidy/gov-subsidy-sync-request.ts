import type { Appliance, SubsidyBuyer } from '@checkout/protocol/contract';
import { govSubsidySyncRequestSchema, type GovSubsidyCateState, type GovSubsidySyncRequest } from '@checkout/protocol/wxpay';
import { formatRfc3339Beijing } from './rfc3339-beijing';
import { SubsidyError } from './subsidy-error';

export type CateState = GovSubsidyCateState;

/** The merchant's side of the sync: config, not per order. */
export interface GovSubsidyMerchantConfig {
  /** 销售企业名称 */
  sellerName: string;
  /** 统一社会信用代码 */
  licenseNumber: string;
  /** 销售主体/开票主体 (mch_name) */
  merchantName: string;
  saleModel: 'SALE_MODEL_ONLINE' | 'SALE_MODEL_OFFLINE';
  subMchId?: string;
}

/** What the sync needs from a paid subsidy order. */
export interface SubsidyOrderFacts {
  /** Our order id: `mch_order_id` (线上平台订单编号). */
  orderId: string;
  outTradeNo: string;
  /** `order_amount`: the order's total before the subsidy (sum of unit price × quantity). */
  totalFen: number;
  /** `discount_amount`: the national-subsidy discount only. */
  subsidyDiscountFen: number;
  /** The one subsidised appliance line's product facts. */
  appliance: Appliance;
}

export type GovSyncEvent =
  | { cateState: 'CATE_STATE_REDEEM'; /** payment time */ transactionTime: Date }
  | { cateState: 'CATE_STATE_REFUND'; /** goods returned time */ transactionTime: Date; refundId: string };

/** Encrypts one personal field for WeChat Pay: RSA-OAEP with the WeChat Pay public key (encryptOaep). */
export type EncryptForWechatPay = (plaintext: string) => string;

/**
 * The `/v3/gov/subsidy/transactions/sync` body for one event, with name, ID number and phone
 * already OAEP-encrypted (so the body can sit in the outbox without exposing them). Validated
 * against the protocol schema; an invalid body throws SUBSIDY_SYNC_INVALID naming only field paths.
 */
export function buildGovSubsidySyncRequest(input: {
  order: SubsidyOrderFacts;
  buyer: SubsidyBuyer;
  event: GovSyncEvent;
  merchant: GovSubsidyMerchantConfig;
  encrypt: EncryptForWechatPay;
}): GovSubsidySyncRequest {
  const { order, buyer, event, merchant, encrypt } = input;
  const body = {
    out_trade_no: order.outTradeNo,
    mch_order_id: order.orderId,
    cate_state: event.cateState,
    transaction_time: formatRfc3339Beijing(event.transactionTime),
    ...(event.cateState === 'CATE_STATE_REFUND' ? { refund_id: event.refundId } : {}),
    order_amount: order.totalFen,
    discount_amount: order.subsidyDiscountFen,
    appliance_id: order.appliance.applianceId,
    brand: order.appliance.brand,
    energy_grade: order.appliance.energyGrade,
    receive_region_code: buyer.receiveRegionCode,
    qualification_region_code: buyer.qualificationRegionCode,
    identity_document_type: buyer.identityDocumentType,
    real_name: encrypt(buyer.realName),
    id_card_number: encrypt(buyer.idCardNumber),
    phone_number: encrypt(buyer.phoneNumber),
    seller_name: merchant.sellerName,
    license_number: merchant.licenseNumber,
    mch_name: merchant.merchantName,
    sale_model: merchant.saleModel,
    ...(merchant.subMchId ? { sub_mchid: merchant.subMchId } : {}),
  };
  const parsed = govSubsidySyncRequestSchema.safeParse(body);
  if (!parsed.success) {
    // Paths only: zod messages may quote values, and some values are personal.
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new SubsidyError('SUBSIDY_SYNC_INVALID', `gov subsidy sync body invalid at: ${fields}`);
  }
  return parsed.data;
}
