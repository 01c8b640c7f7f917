import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from 'koa';
import { isSignType, parseXml, verifyV2, WxPaySignatureError, type SignType } from '@checkout/protocol/wxpay';
import type { EmulatorDeps } from '../emulator-deps';
import type { EmulatorEndpoint } from '../emulator-types';
import { applyPreFaults, dropConnection } from '../faults/fault-responses';
import type { RegisteredMerchant } from '../state/merchant-registry';
import { verifiedClientCertificate } from '../tls/client-certificate';
import { readBody } from './read-body';
import { businessFailFields, returnFailXml, signedAnswerXml, type V2ErrCode, type V2ReturnFailCode } from '../wire/v2-wire';

/** A request that parsed, names a known merchant and carries a valid signature (not the protocol's built V2Request). */
export interface VerifiedV2Request {
  fields: Readonly<Record<string, string>>;
  merchant: RegisteredMerchant;
  signType: SignType;
}

/** What a v2 handler decides; the pipeline turns it into the wire answer. */
export type V2Outcome =
  | { kind: 'success'; fields: Record<string, string> }
  | { kind: 'business-fail'; errCode: V2ErrCode; errCodeDes: string }
  | { kind: 'return-fail'; code: V2ReturnFailCode; detail?: string }
  /** An unsigned answer (payitil/report). */
  | { kind: 'unsigned'; xml: string }
  /** A body that is not v2 XML or has its own shape (downloadbill: a text bill or its error XML); `code` is logged. */
  | { kind: 'raw'; code: string; contentType: string; body: string | Readable };

/** Endpoints whose refusals are not the common v2 ones (downloadbill: unsigned, its own return_msg table). */
export interface V2Answers {
  requestFail: (code: V2ReturnFailCode, detail?: string) => string;
  systemError: () => V2Outcome;
}

export interface V2EndpointOptions {
  endpoint: EmulatorEndpoint;
  /** payitil/report: appid may be absent (merchant found by mch_id) and the answer is unsigned. */
  appIdOptional?: boolean;
  /**
   * /secapi/*: the request must come over TLS with a client certificate a trusted CA issued
   * (else the connection is closed unanswered) that is the request's mch_id's (else CERT_INVALID).
   */
  requireClientCertificate?: boolean;
  /** Replaces the common request-level refusals and the injected SYSTEMERROR answer. */
  answers?: V2Answers;
  handle(request: VerifiedV2Request): V2Outcome;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

const UTF8_NAME_RE = /^utf-?8$/i;

function charsetIsUtf8(contentType: string | undefined): boolean {
  const match = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '');
  return match?.[1] === undefined || UTF8_NAME_RE.test(match[1]);
}

/**
 * An XML declaration naming another encoding (`encoding="GBK"`) makes WeChat's parser read the
 * bytes as that encoding, so the signed values differ: answer NOT_UTF8 rather than accept it.
 */
function declarationIsUtf8(text: string): boolean {
  const match = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']/.exec(text);
  return match?.[1] === undefined || UTF8_NAME_RE.test(match[1]);
}

type Parsed = { ok: true; request: VerifiedV2Request } | { ok: false; xml: string; code: string };

async function parseRequest(ctx: Context, deps: EmulatorDeps, options: V2EndpointOptions, clientCertificate: string | undefined): Promise<Parsed> {
  const failXml = options.answers?.requestFail ?? returnFailXml;
  const fail = (code: V2ReturnFailCode, detail?: string): Parsed => ({ ok: false, xml: failXml(code, detail), code });
  if (ctx.method !== 'POST') return fail('REQUIRE_POST_METHOD');
  const body = await readBody(ctx.req, deps.bodyLimitBytes);
  if (!body.ok) return fail('XML_FORMAT_ERROR', body.reason === 'too-large' ? `body over ${deps.bodyLimitBytes} bytes` : 'body not received');
  let text: string;
  try {
    text = utf8.decode(body.bytes);
  } catch {
    return fail('NOT_UTF8');
  }
  if (!charsetIsUtf8(ctx.get('content-type')) || !declarationIsUtf8(text)) return fail('NOT_UTF8');
  if (text.trim() === '') return fail('POST_DATA_EMPTY');
  let fields: Record<string, string>;
  try {
    fields = parseXml(text);
  } catch {
    return fail('XML_FORMAT_ERROR');
  }

  let merchant: RegisteredMerchant | undefined;
  if (options.appIdOptional === true && (fields.appid === undefined || fields.appid === '')) {
    merchant = fields.mch_id === undefined ? undefined : deps.merchants.byMchId(fields.mch_id);
    if (merchant === undefined) return fail('MCHID_NOT_EXIST');
  } else {
    const lookup = deps.merchants.resolve(fields.appid, fields.mch_id);
    if (!lookup.ok) return fail(lookup.error);
    merchant = lookup.merchant;
  }
  if (options.requireClientCertificate === true && (merchant.apiClientCertFingerprint256 === undefined || clientCertificate !== merchant.apiClientCertFingerprint256)) {
    return fail('CERT_INVALID', `the client certificate is not the API certificate of mch_id ${merchant.mchId}`);
  }

  const signTypeField = fields.sign_type;
  if (signTypeField !== undefined && !isSignType(signTypeField)) return fail('PARAM_ERROR', 'sign_type must be MD5 or HMAC-SHA256');
  if (fields.sign === undefined || fields.sign === '') return fail('LACK_PARAMS', 'sign');
  let signType: SignType;
  try {
    signType = verifyV2(fields, merchant.apiKey);
  } catch (error) {
    if (error instanceof WxPaySignatureError) return fail('SIGNERROR');
    throw error;
  }
  // HMAC-SHA256 must be declared in the request (only notifications omit it).
  if (signType === 'HMAC-SHA256' && signTypeField !== 'HMAC-SHA256') return fail('SIGNERROR');
  return { ok: true, request: { fields, merchant, signType } };
}

/** The v2 pipeline shared by every /pay and /payitil endpoint: never throws; answers XML unless a handler answers `raw` (downloadbill). */
export function v2Endpoint(deps: EmulatorDeps, options: V2EndpointOptions) {
  return async (ctx: Context): Promise<void> => {
    const plan = deps.faults.take(options.endpoint);
    if (await applyPreFaults(ctx, plan)) return;
    const clientCertificate = verifiedClientCertificate(ctx.req.socket);
    if (options.requireClientCertificate === true && clientCertificate === undefined) {
      // Without a verified certificate WeChat's secapi host closes the connection unanswered.
      deps.log({ msg: 'v2 request', endpoint: options.endpoint, outcome: 'NO_CLIENT_CERTIFICATE' });
      dropConnection(ctx);
      return;
    }
    const parsed = await parseRequest(ctx, deps, options, clientCertificate);
    let xml: string | Readable;
    let outcomeCode: string;
    let contentType = 'text/xml; charset=utf-8';
    if (!parsed.ok) {
      xml = parsed.xml;
      outcomeCode = parsed.code;
    } else {
      const { merchant, signType } = parsed.request;
      const outcome: V2Outcome = plan.systemError
        ? (options.answers?.systemError() ?? { kind: 'business-fail', errCode: 'SYSTEMERROR', errCodeDes: '系统错误' })
        : options.handle(parsed.request);
      switch (outcome.kind) {
        case 'success':
          xml = signedAnswerXml({ merchant, signType, fields: { result_code: 'SUCCESS', ...outcome.fields }, corruptSignature: plan.corruptSignature });
          outcomeCode = 'SUCCESS';
          break;
        case 'business-fail':
          xml = signedAnswerXml({
            merchant,
            signType,
            fields: businessFailFields(outcome.errCode, outcome.errCodeDes),
            corruptSignature: plan.corruptSignature,
          });
          outcomeCode = outcome.errCode;
          break;
        case 'return-fail':
          xml = returnFailXml(outcome.code, outcome.detail);
          outcomeCode = outcome.code;
          break;
        case 'unsigned':
          xml = outcome.xml;
          outcomeCode = 'SUCCESS';
          break;
        case 'raw':
          xml = outcome.body;
          outcomeCode = outcome.code;
          contentType = outcome.contentType;
          break;
      }
    }
    deps.log({ msg: 'v2 request', endpoint: options.endpoint, outcome: outcomeCode });
    // Processed, answer held: a client that dies meanwhile never learns the outcome.
    if (plan.answerDelayMs > 0) await sleep(plan.answerDelayMs);
    if (plan.dropConnection) {
      if (typeof xml !== 'string') xml.destroy();
      dropConnection(ctx);
      return;
    }
    ctx.status = 200;
    ctx.type = contentType;
    ctx.body = xml;
  };
}
