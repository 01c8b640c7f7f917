import type { SignType } from './v2-sign';

/** What a v2 call needs to know about the merchant. `apiKey` is the 32-char APIv2 key. */
export interface V2Merchant {
  appId: string;
  mchId: string;
  apiKey: string;
  signType: SignType;
}
