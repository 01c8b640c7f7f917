import type { RefundStatus, SignType, TradeState } from '@checkout/protocol/wxpay';
import type { ReportContent } from './rules/report-request-rules';
import type { MessagePushDelivery } from './notify/message-push';

/**
 * A merchant the emulator knows. `devMerchant` from @checkout/protocol/testing fits this shape.
 * v3 fields are needed only for the gov-subsidy sync; `appSecret` only for jscode2session.
 */
export interface EmulatorMerchant {
  appId: string;
  mchId: string;
  /** APIv2 key (32 chars). */
  apiKey: string;
  /** Mini-program AppSecret for jscode2session. */
  appSecret?: string;
  merchantName?: string;
  /** Merchant API certificate serial: when set, v3 Authorization serial_no must equal it. */
  merchantSerialNo?: string;
  /** Verifies the merchant's v3 Authorization signatures. */
  merchantPublicKeyPem?: string;
  /** `PUB_KEY_ID_…`: Wechatpay-Serial of the WeChat Pay key pair below. */
  platformPublicKeyId?: string;
  /** Signs v3 responses and decrypts OAEP fields. */
  platformPrivateKeyPem?: string;
  platformPublicKeyPem?: string;
  /** Gov-subsidy whitelist (WeChat answers 403 NOT_AUTH outside it). Default: allowed, all regions. */
  govSubsidy?: { allowed?: boolean; allowedRegionCodes?: readonly number[] };
  /**
   * The merchant's API client certificate (PEM): `/secapi/*` requests must present exactly this
   * certificate (matched by SHA-256 fingerprint). Default for the dev merchant: devTls.merchantCertPem.
   */
  apiClientCertPem?: string;
  /** A CA that issued `apiClientCertPem`, trusted by the HTTPS listener besides the dev CA. */
  apiClientCaPem?: string;
  /** Where refund results go when the refund request names no notify_url (the platform setting). */
  refundNotifyUrl?: string;
}

export type EmulatorEndpoint =
  | 'unifiedorder'
  | 'orderquery'
  | 'closeorder'
  | 'refund'
  | 'refundquery'
  | 'downloadbill'
  | 'report'
  | 'jscode2session'
  | 'govSync'
  | 'stableToken'
  | 'cgiToken'
  | 'uploadShippingInfo'
  | 'getOrder'
  | 'getDeliveryList'
  | 'isTradeManaged';

export const EMULATOR_ENDPOINTS: readonly EmulatorEndpoint[] = [
  'unifiedorder',
  'orderquery',
  'closeorder',
  'refund',
  'refundquery',
  'downloadbill',
  'report',
  'jscode2session',
  'govSync',
  'stableToken',
  'cgiToken',
  'uploadShippingInfo',
  'getOrder',
  'getDeliveryList',
  'isTradeManaged',
];

/** Per-endpoint fault injection. Rates are probabilities in [0, 1]; `count` limits how many requests are affected. */
export interface FaultSpec {
  /** Answer SYSTEMERROR (v2 result_code FAIL, jscode2session and the other api.weixin.qq.com JSON endpoints errcode -1, v3 500 SYSTEM_ERROR) without processing. */
  systemErrorRate?: number;
  /** Delay before answering. */
  latencyMs?: number;
  /** Process the request, then destroy the socket without answering (the response is lost). */
  dropConnectionRate?: number;
  /** Answer with a signature that does not verify (v2 `sign`, v3 `Wechatpay-Signature`). */
  corruptSignatureRate?: number;
  /** Answer with this HTTP status and a gateway-style body, without processing. */
  httpStatus?: number;
  /** v2 endpoints, govSync and the token/shipping JSON endpoints: process the request, then hold the answer this long (a client that dies meanwhile never sees it). */
  answerDelayMs?: number;
  /** Apply to the next `count` requests of this endpoint, then clear. Default: until cleared. */
  count?: number;
}

export interface NotifyOptions {
  /** Send N copies of every delivery attempt concurrently (default 1). */
  duplicates?: number;
  /** Sign HMAC-SHA256 notifications without a `sign_type` field (as WeChat often does). */
  omitSignType?: boolean;
  /** Sign v3 responses (gov sync) with a `WECHATPAY/SIGNTEST/…` probe signature that must not verify. */
  signTest?: boolean;
  /** Also notify `result_code=FAIL` when a payment fails (default false). */
  notifyOnFailure?: boolean;
  /**
   * false (default): any well-formed XML answer with return_code SUCCESS is an ack, as WeChat Pay
   * parses it. true: only the exact documented ack body counts (a test knob for strict clients).
   */
  strictAck?: boolean;
}

export interface EmulatorOrder {
  appId: string;
  mchId: string;
  outTradeNo: string;
  prepayId: string;
  totalFee: number;
  openid: string;
  notifyUrl: string;
  signType: SignType;
  tradeState: TradeState;
  body: string;
  attach?: string;
  /** The merchant fields of unifiedorder, as sent (JSON ones as their text). */
  deviceInfo?: string;
  goodsTag?: string;
  detail?: string;
  limitPay?: string;
  receipt?: string;
  profitSharing?: string;
  sceneInfo?: string;
  /** Coupons used on the payment (control API `pay` with `coupons`); none by default. */
  coupons?: EmulatorCoupon[];
  transactionId?: string;
  /** ISO 8601, emulator clock. */
  createdAt: string;
  /** ISO 8601: the prepay_id is refused by the cashier after this. */
  prepayExpiresAt: string;
  /** time_expire from unifiedorder (yyyyMMddHHmmss, Beijing), if any. */
  timeExpire?: string;
  /** yyyyMMddHHmmss (Beijing) when paid. */
  timeEnd?: string;
  /** ISO 8601 when closed. */
  closedAt?: string;
}

/** One HTTP attempt to deliver a notification (one per copy when duplicates > 1). */
export interface NotificationDelivery {
  id: number;
  /** pay: the pay-result notification; refund: a refund-result notification (req_info encrypted). */
  kind: 'pay' | 'refund';
  outTradeNo: string;
  /** The refund notified (kind refund only). */
  outRefundNo?: string;
  mchId: string;
  /** 1 = first attempt; retry n is attempt n + 1. */
  attempt: number;
  /** 0-based copy index when duplicates > 1. */
  copy: number;
  /** The schedule's delay before this attempt, already time-scaled (0 for the first). */
  scheduledDelayMs: number;
  /** ISO 8601, emulator clock, when sent. */
  at: string;
  notifyUrl: string;
  /** The XML sent. */
  requestBody: string;
  /** HTTP status of the answer, or null when there was none (timeout, connection error). */
  status: number | null;
  /** The answer body (truncated to 2 KiB). */
  body: string;
  /** True when the answer was exactly the SUCCESS ack within the timeout. */
  acked: boolean;
  error?: string;
}

/** Where a refund was started: the refund API or the merchant platform (商户平台). */
export type RefundRequestSource = 'API' | 'VENDOR_PLATFORM';

/** A refund in the emulator's ledger. Amounts are integer fen; times on the emulator clock. */
export interface EmulatorRefund {
  appId: string;
  mchId: string;
  outTradeNo: string;
  transactionId: string;
  outRefundNo: string;
  /** WeChat's refund number. */
  refundId: string;
  /** The order's amount. */
  totalFee: number;
  refundFee: number;
  /** refund_fee minus non-recharge coupon refunds: the emulator has no coupons, so refund_fee. */
  settlementRefundFee: number;
  cashRefundFee: number;
  refundStatus: RefundStatus;
  refundDesc?: string;
  /** REFUND_SOURCE_UNSETTLED_FUNDS (default) or REFUND_SOURCE_RECHARGE_FUNDS. */
  refundAccount: string;
  /** Wire `refund_recv_accout` (sic): where the money went, e.g. 支付用户零钱. */
  refundRecvAccout: string;
  refundRequestSource: RefundRequestSource;
  /** Where the result is notified ('' = nowhere): the request's notify_url, else the merchant's refundNotifyUrl. */
  notifyUrl: string;
  /** The request's sign type (portal refunds: MD5). */
  signType: SignType;
  /** ISO 8601 when requested. */
  createdAt: string;
  /** `yyyy-MM-dd HH:mm:ss` Beijing, once SUCCESS. */
  successTime?: string;
  /** ISO 8601 when it reached SUCCESS, REFUNDCLOSE or CHANGE. */
  settledAt?: string;
}

/** A refund started on the merchant platform (control API). */
export interface PortalRefundInput {
  outTradeNo: string;
  refundFee: number;
  notifyUrl?: string;
}

/** A checked payitil/report: what the emulator read from it plus the wire fields (without sign). */
export type ReceivedReport = ReportContent & { receivedAt: string; fields: Record<string, string> };

export interface GovSyncRecord {
  receivedAt: string;
  mchId: string;
  /** Wechatpay-Serial of the request. */
  serial?: string;
  /** The request body with OAEP fields decrypted (personal data: control API only, never logged). */
  body: Record<string, unknown>;
  /** SHA-256 (hex) of the raw request bytes: an identical resend has the same one, a re-encrypted body does not. */
  bodySha256: string;
  /** Whether an order with this out_trade_no exists in the emulator, and is paid. */
  orderKnown: boolean;
  orderPaid: boolean;
}

export interface CashierParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

export type CashierAction = 'pay' | 'cancel' | 'fail';

export interface CashierResult {
  errMsg: string;
  /** Set when the WeChat client would refuse the parameters: a stable reason code. */
  code?: string;
  /** A developer-facing explanation of a refusal (never contains an expected signature). */
  detail?: string;
}

/** Creates an order directly (no unifiedorder), e.g. to match an official vector's prepay_id. */
/** A coupon (代金券) applied to a payment: CASH (充值代金券) or NO_CASH (免充值券). */
export interface EmulatorCoupon {
  id: string;
  type: 'CASH' | 'NO_CASH';
  /** fen */
  fee: number;
}

/** How the control API pays an order. */
export interface PayOptions {
  /** Their fees together must stay below total_fee (the buyer pays at least 1 fen in cash). */
  coupons?: EmulatorCoupon[];
}

export interface SeedOrderInput {
  appId?: string;
  mchId?: string;
  outTradeNo: string;
  totalFee: number;
  openid?: string;
  notifyUrl?: string;
  signType?: SignType;
  prepayId?: string;
  body?: string;
}

/** `GET /__emulator/access-tokens`: never the token values. */
export interface AccessTokensView {
  /** Every token minted since the last reset. */
  issued: number;
  tokens: { appid: string; kind: 'stable' | 'basic'; issuedAt: string; expiresAt: string; state: 'valid' | 'expired' | 'invalidated' }[];
}

/** One order's 发货信息管理 record (`GET /__emulator/shipping`). */
export interface ShippingView {
  transaction_id: string;
  out_trade_no: string;
  mch_id: string;
  /** get_order order_state: 1 待发货, 2 已发货, 3 确认收货, 5 已退款. */
  order_state: number;
  finish_shipping: boolean;
  finish_shipping_count: number;
  confirmed_at?: string;
  uploads: {
    logistics_type: number;
    delivery_mode: number;
    is_all_delivered?: boolean;
    shipping_list: { tracking_no?: string; express_company?: string; item_desc: string; contact?: { consignor_contact?: string; receiver_contact?: string } }[];
    upload_time: string;
    received_at: string;
    reship: boolean;
  }[];
}

export interface EmulatorControl {
  reset: () => void;
  advanceClock: (ms: number) => Date;
  now: () => Date;
  issueLoginCode: (input?: { appId?: string; openid?: string }) => string;
  orders: () => EmulatorOrder[];
  order: (outTradeNo: string) => EmulatorOrder | undefined;
  seedOrder: (input: SeedOrderInput) => EmulatorOrder;
  cashier: (params: CashierParams, action: CashierAction) => Promise<CashierResult>;
  payOrder: (outTradeNo: string, options?: PayOptions) => EmulatorOrder;
  /** Pays like payOrder but never sends the pay-result notification (the bill shows a payment the shop never heard of). */
  payWithoutNotify: (outTradeNo: string) => EmulatorOrder;
  failOrder: (outTradeNo: string) => EmulatorOrder;
  /** Closes an unpaid order now, skipping the 5-minute floor (as if WeChat expired it). */
  closeOrder: (outTradeNo: string) => EmulatorOrder;
  deliveries: () => NotificationDelivery[];
  waitForDeliveries: (predicate: (delivery: NotificationDelivery) => boolean, timeoutMs: number, minCount?: number) => Promise<NotificationDelivery[]>;
  reports: () => ReceivedReport[];
  govSyncs: () => GovSyncRecord[];
  setFaults: (endpoint: EmulatorEndpoint, faults: FaultSpec) => void;
  clearFaults: (endpoint?: EmulatorEndpoint) => void;
  setNotifyOptions: (options: NotifyOptions) => void;
  /** Every refund (of one order when outTradeNo is given), oldest first. */
  refunds: (outTradeNo?: string) => EmulatorRefund[];
  refund: (outRefundNo: string) => EmulatorRefund | undefined;
  /** A refund from the merchant platform: WeChat-generated out_refund_no, refund_request_source VENDOR_PLATFORM. */
  portalRefund: (input: PortalRefundInput) => EmulatorRefund;
  /** true: refunds stay PROCESSING until settled, closed or changed by hand; false: pending ones settle after refundSettleMs. */
  holdRefunds: (hold: boolean) => void;
  /** PROCESSING → SUCCESS (notified). */
  settleRefund: (outRefundNo: string) => EmulatorRefund;
  /** PROCESSING → REFUNDCLOSE (notified; the amount becomes refundable again). */
  closeRefund: (outRefundNo: string) => EmulatorRefund;
  /** PROCESSING → CHANGE (退款异常, notified). */
  changeRefund: (outRefundNo: string) => EmulatorRefund;
  /** Bills show `totalFee` (fen) as this order's payment amount instead of the ledger's (until reset). */
  alterBillAmount: (outTradeNo: string, totalFee: number) => void;
  /** The bills of this day (`yyyyMMdd`) get a summary line that disagrees with their rows (until reset). */
  corruptBillSummary: (billDate: string) => void;
  accessTokens: () => AccessTokensView;
  /** Every token issued so far answers 42001; the next stable_token mints a new one. Returns how many were live. */
  expireAccessTokens: () => number;
  /** Every token issued so far answers 40001; the next stable_token mints a new one. */
  invalidateAccessTokens: () => number;
  /** Every paid order with its shipping uploads. */
  shipping: () => ShippingView[];
  /** The buyer confirms receipt (order_state 3); pushes trade_manage_order_settlement when a push target is set. */
  confirmReceipt: (transactionId: string, options?: { method?: 'manual' | 'auto' }) => Promise<ShippingView>;
  /** Sets (or with undefined clears) the mini-program message-push target. */
  setMessagePush: (target: { url: string; token: string } | undefined) => void;
  /** Paid orders answer 10060001 on upload_shipping_info / get_order for this long after payment (emulator clock; until reset). */
  setShippingOrderIndexDelay: (ms: number) => void;
  messagePushes: () => MessagePushView[];
}

/** One message push attempt, as the control API shows it. */
export type MessagePushView = MessagePushDelivery;

export interface EmulatorOptions {
  /** Default: [devMerchant]. */
  merchants?: readonly EmulatorMerchant[];
  /** The emulator clock starts here (default: now) and moves with real time unless `frozenClock`. */
  startTime?: Date;
  /** The clock moves only through advanceClock (deterministic rate limits and expiry in tests). */
  frozenClock?: boolean;
  /** 1 = official retry schedule in real time; 0.001 turns 15 s into 15 ms. */
  notifyTimeScale?: number;
  /** How long a notify_url may take to answer. Default: 5 s × scale, but at least 1 s. */
  notifyTimeoutMs?: number;
  notifyOptions?: NotifyOptions;
  /** Max request body (default 64 KiB). */
  bodyLimitBytes?: number;
  /** jscode2session calls per appid per minute before 45011 (default 600). */
  jscode2sessionPerMinute?: number;
  /** gov sync requests per merchant per second before 429 (default 100). */
  govSyncPerSecond?: number;
  /** A refund becomes SUCCESS this long after it is accepted (default 1000 ms × notifyTimeScale). */
  refundSettleMs?: number;
  /** 同一笔订单多次退款的请求需相隔1分钟: default 60 000; tests may set 0. Emulator clock. */
  refundMinIntervalMs?: number;
  /** Day D's bill is served from this hour (0–23, Beijing) of day D+1 on the emulator clock; default 10 (建议商户10点后再获取). */
  billReadyHourBeijing?: number;
  /** Mini-program message push target (消息推送 URL + Token); also settable through the control API. */
  messagePush?: { url: string; token: string };
  /** Random source for fault rates (default Math.random). */
  random?: () => number;
  logger?: (line: Record<string, unknown>) => void;
}
