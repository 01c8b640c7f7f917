import { describe, expect, it } from 'vitest';
import { WxPayResultError } from './errors';

describe('WxPayResultError.retryable', () => {
  it.each(['SYSTEMERROR', 'BANKERROR', 'FREQUENCY_LIMITED', 'BIZERR_NEED_RETRY'])('%s asks for a retry with identical parameters', (code) => {
    expect(new WxPayResultError(code, 'x').retryable).toBe(true);
  });

  it.each(['ORDERPAID', 'ORDERCLOSED', 'NOTENOUGH', 'PARAM_ERROR', 'INVALID_REQUEST'])('%s is final', (code) => {
    expect(new WxPayResultError(code, 'x').retryable).toBe(false);
  });
});
