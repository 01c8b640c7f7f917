import { createRequire } from 'node:module';

/*
 * The two published npm peers, loaded through their own CommonJS entry points (they ship no ESM
 * and only partial types). Each wrapper calls the peer's real function for the operation.
 */
const require = createRequire(import.meta.url);

type Fields = Record<string, string>;

interface TenpayUtil {
  buildXML(obj: Fields, rootName?: string): string;
  parseXML(xml: string): Promise<Fields>;
}
interface TenpayPayment {
  _getSign(params: Fields, type?: string): string;
  _parse(xml: string, type: string, signType?: string): Promise<Fields>;
}
interface TenpayCtor {
  new (config: { appid: string; mchid: string; partnerKey: string }): TenpayPayment;
}

interface WxAxiosHash {
  sign(type: string, data: Fields, key: string): string;
}
interface WxAxiosTransformer {
  toObject(xml: string): Fields;
  toXml(data: Fields): string;
}
interface WxAxiosTransformerCtor extends WxAxiosTransformer {
  new (mchid: string, secret: string): { verifier: (this: { url: string }, data: Fields) => Fields | Error };
}

const tenpayUtil = require('tenpay/lib/util') as TenpayUtil;
const Tenpay = require('tenpay') as TenpayCtor;
const Hash = require('wechatpay-axios-plugin/lib/hash') as WxAxiosHash;
const Transformer = require('wechatpay-axios-plugin/lib/transformer') as WxAxiosTransformerCtor;

export interface PeerMerchant {
  appId: string;
  mchId: string;
  apiKey: string;
}

export function tenpayPeer(m: PeerMerchant) {
  const payment = new Tenpay({ appid: m.appId, mchid: m.mchId, partnerKey: m.apiKey });
  return {
    sign: (fields: Fields, type: 'MD5' | 'HMAC-SHA256'): string => payment._getSign(fields, type),
    /** What tenpay's request path does: sign, then xml2js build. */
    buildSigned: (fields: Fields, type: 'MD5' | 'HMAC-SHA256'): string => {
      const params = { ...fields };
      params.sign = payment._getSign(params, type);
      return tenpayUtil.buildXML(params);
    },
    parse: (xml: string): Promise<Fields> => tenpayUtil.parseXML(xml),
    /** Its notification middleware: parse, return/result code, appid, mch_id, sign. */
    parseAndVerify: (xml: string): Promise<Fields> => payment._parse(xml, 'middleware_pay'),
  };
}

export function wxAxiosPeer(m: PeerMerchant) {
  const verifier = new Transformer(m.mchId, m.apiKey).verifier;
  const config = { url: '/pay/unifiedorder' };
  return {
    sign: (fields: Fields, type: 'MD5' | 'HMAC-SHA256'): string => Hash.sign(type, fields, m.apiKey),
    /** What its request transformer does: sign, then fast-xml-parser build. */
    buildSigned: (fields: Fields, type: 'MD5' | 'HMAC-SHA256'): string =>
      Transformer.toXml({ ...fields, sign: Hash.sign(type, fields, m.apiKey) }),
    parse: (xml: string): Fields => Transformer.toObject(xml),
    /** Its response transformer: parse, then return/result code and sign check. */
    parseAndVerify: (xml: string): Fields => {
      const result = verifier.call(config, Transformer.toObject(xml));
      if (result instanceof Error) throw result;
      return result;
    },
  };
}
