import { randomInt } from 'node:crypto';

/** A fresh 28-digit WeChat Pay transaction_id (unique per call for the test's lifetime). */
export function newTransactionId(): string {
  let digits = '4200';
  while (digits.length < 28) digits += String(randomInt(10));
  return digits;
}
