// What the WeChat client does for the app, done against the real emulator: issue login codes
// and run wx.requestPayment through the emulator's cashier, which verifies paySign like WeChat.
import { DEV_APP_ID } from './dev-app';

export type CashierAction = 'pay' | 'cancel' | 'fail';

export function emulatorLoginCode(emulatorUrl: string, appId = DEV_APP_ID): () => Promise<{ code: string; errMsg: string }> {
  return async () => {
    const response = await fetch(`${emulatorUrl}/__emulator/login-codes`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ appId }),
    });
    if (!response.ok) throw new Error(`emulator login-codes: HTTP ${response.status}`);
    const { code } = (await response.json()) as { code: string };
    return { code, errMsg: 'login:ok' };
  };
}

/**
 * wx.requestPayment: the app passes the five fields; WeChat adds its own appId and shows the
 * cashier. Resolves `{errMsg: 'requestPayment:ok'}`, rejects with `{errMsg}` otherwise (as WeChat's
 * Promise form does). A wrong paySign is rejected by the emulator: the payment fails.
 */
export function emulatorRequestPayment(emulatorUrl: string, action: () => CashierAction, appId = DEV_APP_ID) {
  return async (fields: Record<string, unknown>): Promise<{ errMsg: string }> => {
    const response = await fetch(`${emulatorUrl}/cashier/confirm`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...fields, appId, action: action() }),
    });
    const result = (await response.json()) as { errMsg: string };
    if (result.errMsg === 'requestPayment:ok') return result;
    throw result;
  };
}
