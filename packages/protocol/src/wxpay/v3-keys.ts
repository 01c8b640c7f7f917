import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { WxPayValidationError } from './errors';

/** A key as PEM text, PEM bytes or a node:crypto KeyObject. Public keys may also be X.509 certificate PEM. */
export type KeyLike = string | Buffer | KeyObject;

export function toPrivateKey(key: KeyLike): KeyObject {
  if (typeof key === 'string' || Buffer.isBuffer(key)) return createPrivateKey(key);
  if (key.type !== 'private') throw new WxPayValidationError('FIELD_INVALID', 'privateKey', `privateKey must be a private key, got a ${key.type} key`);
  return key;
}

/** A private key is accepted too: its public half is used. */
export function toPublicKey(key: KeyLike): KeyObject {
  if (typeof key === 'string' || Buffer.isBuffer(key)) return createPublicKey(key);
  return key.type === 'public' ? key : createPublicKey(key);
}
