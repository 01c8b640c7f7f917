import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Router } from '@koa/router';
import type { Context } from 'koa';
import {
  decryptOaep,
  GOV_SUBSIDY_SYNC_PATH,
  parseV3Authorization,
  signV3Message,
  V3_AUTH_SCHEMA,
  verifyV3Request,
  WxPayError,
  type V3Authorization,
} from '@checkout/protocol/wxpay';
import type { EmulatorDeps } from '../emulator-deps';
import { applyPreFaults, dropConnection } from '../faults/fault-responses';
import type { FaultPlan } from '../faults/faults';
import { corruptSignatureText } from '../faults/faults';
import { newNonceStr, newRequestId } from '../state/ids';
import { isPaid } from '../state/order-lifecycle';
import type { RegisteredMerchant } from '../state/merchant-registry';
import { ENCRYPTED_GOV_SYNC_FIELDS, checkGovSyncBody } from '../rules/gov-sync-request-rules';
import { readBody } from './read-body';

/** A v3 answer before signing. */
interface V3Answer {
  status: number;
  body: { code: string; message: string };
}

const fail = (status: number, code: string, message: string): V3Answer => ({ status, body: { code, message } });

export interface GovSyncRouteOptions {
  /** Sign responses with a WECHATPAY/SIGNTEST/ probe (read per request). */
  signTest: () => boolean;
}

/** `authenticated` is the merchant whose request signature verified: only its answers are signed. */
async function handle(ctx: Context, deps: EmulatorDeps): Promise<{ answer: V3Answer; authenticated?: RegisteredMerchant }> {
  const body = await readBody(ctx.req, deps.bodyLimitBytes);
  if (!body.ok) return { answer: fail(400, 'PARAM_ERROR', body.reason === 'too-large' ? `请求体超过 ${deps.bodyLimitBytes} 字节` : '请求体不完整') };

  let auth: V3Authorization;
  try {
    auth = parseV3Authorization(ctx.get('authorization'));
  } catch (error) {
    return { answer: fail(401, 'SIGN_ERROR', `签名错误: ${error instanceof Error ? error.message : 'Authorization'}`) };
  }
  const merchant = deps.merchants.byMchId(auth.mchId);
  if (merchant?.merchantPublicKey === undefined) return { answer: fail(401, 'SIGN_ERROR', `签名错误: 商户号 ${auth.mchId} 未配置 API 证书`) };
  if (merchant.merchantSerialNo !== undefined && auth.serialNo !== merchant.merchantSerialNo) {
    return { answer: fail(401, 'SIGN_ERROR', '签名错误: serial_no 与商户 API 证书序列号不符') };
  }
  try {
    verifyV3Request({
      method: ctx.method,
      pathWithQuery: ctx.originalUrl,
      body: body.bytes,
      authorization: ctx.get('authorization'),
      publicKey: merchant.merchantPublicKey,
      nowSeconds: deps.clock.nowSeconds(),
    });
  } catch (error) {
    if (error instanceof WxPayError) return { answer: fail(401, 'SIGN_ERROR', `签名错误: ${error.message}`) };
    throw error;
  }

  // WeChat's limit is per merchant per interface, so it applies once the merchant is known.
  if (!deps.govSyncLimiter.allow(merchant.mchId)) return { answer: fail(429, 'FREQUENCY_LIMITED', '频率超限,请降低请求频率'), authenticated: merchant };

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body.bytes));
  } catch {
    return { answer: fail(400, 'PARAM_ERROR', '请求体不是合法的 UTF-8 JSON'), authenticated: merchant };
  }
  const checked = checkGovSyncBody(json);
  if (!checked.ok) return { answer: fail(400, 'PARAM_ERROR', checked.message), authenticated: merchant };
  const request = checked.body;

  // The interface documents Wechatpay-Serial as a required header, with or without encrypted
  // fields, so a client that only sends it alongside personal data is refused here too.
  const serial = ctx.get('wechatpay-serial');
  if (serial === '') return { answer: fail(400, 'PARAM_ERROR', '缺少 Wechatpay-Serial 请求头(微信支付公钥ID)'), authenticated: merchant };
  if (merchant.platformPrivateKey === undefined || serial !== merchant.platformPublicKeyId) {
    return { answer: fail(400, 'PARAM_ERROR', `Wechatpay-Serial ${serial} 不是该商户的微信支付公钥ID`), authenticated: merchant };
  }
  const decrypted: Record<string, unknown> = { ...request };
  for (const name of ENCRYPTED_GOV_SYNC_FIELDS) {
    const ciphertext = request[name];
    if (typeof ciphertext !== 'string') continue;
    try {
      decrypted[name] = decryptOaep(ciphertext, merchant.platformPrivateKey);
    } catch {
      return { answer: fail(400, 'PARAM_ERROR', `${name} 解密失败: 请用 Wechatpay-Serial 对应的微信支付公钥做 RSA-OAEP 加密`), authenticated: merchant };
    }
  }

  const whitelist = merchant.govSubsidy;
  if (whitelist?.allowed === false) return { answer: fail(403, 'NOT_AUTH', '商户未开通国补交易信息回传权限'), authenticated: merchant };
  if (whitelist?.allowedRegionCodes !== undefined && !whitelist.allowedRegionCodes.includes(request.qualification_region_code)) {
    return { answer: fail(403, 'NOT_AUTH', `地区 ${request.qualification_region_code} 未开通国补`), authenticated: merchant };
  }

  const order = deps.store.findOrder(merchant.mchId, request.out_trade_no);
  deps.store.addGovSync({
    receivedAt: deps.clock.now().toISOString(),
    mchId: merchant.mchId,
    serial,
    body: decrypted,
    bodySha256: createHash('sha256').update(body.bytes).digest('hex'),
    orderKnown: order !== undefined,
    orderPaid: order !== undefined && isPaid(order),
  });
  return { answer: { status: 200, body: { code: 'SUCCESS', message: '成功' } }, authenticated: merchant };
}

/**
 * Signs the answer as WeChat Pay does (Wechatpay-* headers over `timestamp\nnonce\nbody\n`), but
 * only for a merchant that authenticated: an answer to a request whose signature failed (or that
 * never got that far) goes out unsigned, as WeChat Pay does not sign before it knows the merchant.
 */
function respond(ctx: Context, deps: EmulatorDeps, answer: V3Answer, authenticated: RegisteredMerchant | undefined, plan: FaultPlan, signTest: boolean): void {
  const text = JSON.stringify(answer.body);
  ctx.set('Request-ID', newRequestId());
  if (authenticated?.platformPrivateKey !== undefined && authenticated.platformPublicKeyId !== undefined) {
    const timestampSeconds = deps.clock.nowSeconds();
    const nonce = newNonceStr();
    let signature = signV3Message({ timestampSeconds, nonce, body: text, privateKey: authenticated.platformPrivateKey });
    if (signTest) signature = `WECHATPAY/SIGNTEST/${randomBytes(192).toString('base64')}`;
    else if (plan.corruptSignature) signature = corruptSignatureText(signature);
    ctx.set('Wechatpay-Timestamp', String(timestampSeconds));
    ctx.set('Wechatpay-Nonce', nonce);
    ctx.set('Wechatpay-Signature', signature);
    ctx.set('Wechatpay-Serial', authenticated.platformPublicKeyId);
    ctx.set('Wechatpay-Signature-Type', V3_AUTH_SCHEMA);
  }
  ctx.status = answer.status;
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = text;
}

/** `POST /v3/gov/subsidy/transactions/sync` (国补交易信息回传). */
export function govSyncRoutes(deps: EmulatorDeps, options: GovSyncRouteOptions): Router {
  const router = new Router();
  router.post(GOV_SUBSIDY_SYNC_PATH, async (ctx) => {
    const plan = deps.faults.take('govSync');
    if (await applyPreFaults(ctx, plan)) return;
    const { answer, authenticated } = plan.systemError ? { answer: fail(500, 'SYSTEM_ERROR', '系统错误,请稍后重试'), authenticated: undefined } : await handle(ctx, deps);
    deps.log({ msg: 'gov sync', status: answer.status, code: answer.body.code });
    if (plan.answerDelayMs > 0) await sleep(plan.answerDelayMs);
    if (plan.dropConnection) {
      dropConnection(ctx);
      return;
    }
    respond(ctx, deps, answer, authenticated, plan, options.signTest());
  });
  return router;
}
