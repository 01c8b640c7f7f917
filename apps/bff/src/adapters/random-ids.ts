import { randomInt } from 'node:crypto';
import { formatWxPayTime } from '@checkout/protocol/wxpay';
import type { IdGenerator } from '../domain/ports/id-generator';

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Uniform random base62 (rejection-free: randomInt is unbiased). */
function randomBase62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/**
 * Beijing yyyyMMddHHmmss, a readable prefix for out_trade_no: the time people see in the app, the
 * merchant portal and the bills (WeChat Pay's own times are Beijing time). Nothing parses it;
 * uniqueness comes from the random part.
 */
function compactBeijing(now: Date): string {
  return formatWxPayTime(now);
}

/** Opaque ids with ≥ 119 bits of randomness; out_trade_no is 32 chars of [0-9A-Za-z]. */
export const randomIds: IdGenerator = {
  userId: () => `usr_${randomBase62(22)}`,
  orderId: () => `ord_${randomBase62(22)}`,
  outTradeNo: (now) => `${compactBeijing(now)}${randomBase62(18)}`,
  nonceStr: () => randomBase62(32),
  eventId: () => randomBase62(24),
  refundId: () => `rfd_${randomBase62(22)}`,
  // `R` keeps it apart from out_trade_no; 33 chars of [0-9A-Za-z], within out_refund_no's 64.
  outRefundNo: (now) => `R${compactBeijing(now)}${randomBase62(18)}`,
};
