/**
 * Time limits WeChat Pay itself enforces. The BFF plans around them and the emulator enforces
 * them, so both read them from here.
 */

/** A prepay_id can start a payment for 2 hours after unifiedorder issued it. */
export const PREPAY_ID_LIFETIME_SECONDS = 2 * 60 * 60;

/** closeorder refuses an order younger than 5 minutes (订单生成后不能马上调用关单接口,最短调用时间间隔为5分钟). */
export const CLOSE_ORDER_MIN_AGE_SECONDS = 5 * 60;

/** A wx.login code can be exchanged once, within 5 minutes. */
export const LOGIN_CODE_LIFETIME_SECONDS = 5 * 60;
