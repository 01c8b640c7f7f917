import { ConfigError } from '../env';
import { isApiError } from './api-error';

export interface ErrorView {
  /** offline: show "check your network" and retry. */
  kind: 'offline' | 'error';
  message: string;
  code: string;
}

/** What a screen shows for a failure: never a stack, a token or server internals. */
export function describeError(error: unknown): ErrorView {
  if (isApiError(error)) {
    if (error.code === 'NETWORK_ERROR') return { kind: 'offline', message: '网络不可用，请检查网络后重试', code: error.code };
    const detail = error.details[0];
    const message = error.code === 'VALIDATION_FAILED' || error.code === 'INVALID_REQUEST'
      ? `${error.message}${detail ? `：${detail.message}` : ''}`
      : error.message;
    return { kind: 'error', message, code: error.code };
  }
  if (error instanceof ConfigError) return { kind: 'error', message: '应用配置有误，请联系客服', code: error.code };
  return { kind: 'error', message: '出错了，请稍后重试', code: 'UNKNOWN' };
}
