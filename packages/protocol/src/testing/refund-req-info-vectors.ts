import vectors from './refund-req-info-vectors.json';

/**
 * AES-256-ECB vectors for the refund notification's req_info (copy of
 * shared/vectors/refund-req-info.json). `aes_ecb_hello` is wechatpay-php's known answer;
 * `req_info_full` was computed with OpenSSL and Python over wechatpay-php's sample plaintext.
 */
export interface RefundReqInfoVectors {
  _about: string;
  aes_ecb_hello: { key_ascii: string; plaintext: string; ciphertext_base64: string };
  req_info_full: { api_v2_key: string; aes_key_ascii: string; plaintext: string; req_info: string };
}

// The annotation makes typecheck fail if the JSON copy drifts from this shape.
export const refundReqInfoVectors: RefundReqInfoVectors = vectors;
