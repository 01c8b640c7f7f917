import { createCipheriv, createHash } from 'node:crypto';

/**
 * The emulator's own req_info encryption, written from the document rather than taken from the
 * protocol package (which decrypts it on the BFF side): base64 of AES-256-ECB with PKCS#7 padding,
 * the key being the 32 ASCII bytes of the lower-case hex MD5 of the APIv2 key.
 */
export function encryptReqInfo(plaintext: string, apiKey: string): string {
  const key = Buffer.from(createHash('md5').update(apiKey, 'utf8').digest('hex'), 'ascii');
  const cipher = createCipheriv('aes-256-ecb', key, null);
  cipher.setAutoPadding(true);
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}
