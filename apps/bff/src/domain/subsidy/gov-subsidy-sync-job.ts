import type { EnergyGrade } from '@checkout/protocol/contract';
import { encryptOaep, type GovSubsidySyncRequest, type KeyLike } from '@checkout/protocol/wxpay';
import type { OutboxJobInput } from '../ports/outbox-store';
import { buildGovSubsidySyncRequest, type CateState, type GovSubsidyMerchantConfig, type GovSyncEvent } from './gov-subsidy-sync-request';
import { openSubsidyClaim, type SealedSubsidyClaim } from './sealed-subsidy-claim';
import { SubsidyError } from './subsidy-error';

export const GOV_SUBSIDY_SYNC_JOB = 'gov_subsidy_sync';

/** Stored in outbox_jobs.payload. Personal fields are OAEP ciphertext only WeChat Pay can read. */
export interface GovSubsidySyncJobPayload {
  request: GovSubsidySyncRequest;
  /** `Wechatpay-Serial`: id of the public key the personal fields were encrypted with. */
  wechatpaySerial: string;
}

/** One job per (out_trade_no, cate_state): a second enqueue for the same pair is ignored. */
export function govSubsidySyncDedupeKey(outTradeNo: string, cateState: CateState): string {
  return `${outTradeNo}:${cateState}`;
}

/** The order as the BFF stores it (structurally the domain's OrderRecord). */
export interface PaidSubsidyOrder {
  id: string;
  outTradeNo: string;
  totalFen: number;
  subsidyDiscountFen: number;
  items: readonly { subsidyDiscountFen: number; applianceId: number | null; brand: string | null; energyGrade: EnergyGrade | null }[];
}

/** The WeChat Pay public key that encrypts personal fields, and its id (`PUB_KEY_ID_…`). */
export interface WechatPayEncryptionKey {
  publicKey: KeyLike;
  publicKeyId: string;
}

/**
 * The outbox job for one subsidy event of a stored order: opens the sealed buyer details,
 * OAEP-encrypts them for WeChat Pay and builds the validated sync body. Call it inside the
 * transaction that marks the order paid (REDEEM) or records the return (REFUND), then
 * enqueueOutboxJob(trx, job). Throws SubsidyError; never puts plaintext PII in a message.
 */
export function govSubsidySyncJobForOrder(input: {
  order: PaidSubsidyOrder;
  claim: SealedSubsidyClaim;
  event: GovSyncEvent;
  merchant: GovSubsidyMerchantConfig;
  pii: { open(sealed: string): string };
  wechatPay: WechatPayEncryptionKey;
}): OutboxJobInput<GovSubsidySyncJobPayload> {
  const { order, wechatPay } = input;
  const line = subsidizedLine(order);
  const request = buildGovSubsidySyncRequest({
    order: {
      orderId: order.id,
      outTradeNo: order.outTradeNo,
      totalFen: order.totalFen,
      subsidyDiscountFen: order.subsidyDiscountFen,
      appliance: { applianceId: line.applianceId, brand: line.brand, energyGrade: line.energyGrade },
    },
    buyer: openSubsidyClaim(input.pii, input.claim),
    event: input.event,
    merchant: input.merchant,
    encrypt: (plaintext) => encryptOaep(plaintext, wechatPay.publicKey),
  });
  return {
    kind: GOV_SUBSIDY_SYNC_JOB,
    dedupeKey: govSubsidySyncDedupeKey(request.out_trade_no, request.cate_state),
    payload: { request, wechatpaySerial: wechatPay.publicKeyId },
  };
}

/** The sync carries one appliance: the discounted line (or the only appliance line). */
function subsidizedLine(order: PaidSubsidyOrder): { applianceId: number; brand: string; energyGrade: EnergyGrade } {
  const appliances = order.items.flatMap((item) =>
    item.applianceId !== null && item.brand !== null && item.energyGrade !== null
      ? [{ applianceId: item.applianceId, brand: item.brand, energyGrade: item.energyGrade, discount: item.subsidyDiscountFen }]
      : [],
  );
  const discounted = appliances.filter((item) => item.discount > 0);
  const candidates = discounted.length > 0 ? discounted : appliances;
  if (candidates.length === 0) throw new SubsidyError('SUBSIDY_NOT_ELIGIBLE', `order ${order.id} holds no subsidy appliance`);
  if (candidates.length > 1) throw new SubsidyError('SUBSIDY_ONE_APPLIANCE_PER_ORDER', `order ${order.id} holds more than one subsidised appliance`);
  return candidates[0] as { applianceId: number; brand: string; energyGrade: EnergyGrade };
}
