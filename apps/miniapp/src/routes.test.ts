import { describe, expect, it } from 'vitest';
import { parseResultParams, routes } from './routes';

describe('result route params', () => {
  it('round-trips orderId and errMsg', () => {
    const query = new URL(`http://x${routes.result('ord 1', 'requestPayment:fail cancel')}`).searchParams;
    expect(parseResultParams(Object.fromEntries(query))).toEqual({ orderId: 'ord 1', errMsg: 'requestPayment:fail cancel' });
  });

  it('decodes values a platform left URL-encoded', () => {
    expect(parseResultParams({ orderId: 'o1', errMsg: 'requestPayment%3Aok' })).toEqual({ orderId: 'o1', errMsg: 'requestPayment:ok' });
  });

  it('recovers errMsg appended after an existing query', () => {
    expect(parseResultParams({ orderId: 'o1?errMsg=requestPayment%3Afail%20cancel' })).toEqual({ orderId: 'o1', errMsg: 'requestPayment:fail cancel' });
  });

  it('reports a missing orderId as null', () => {
    expect(parseResultParams({})).toEqual({ orderId: null, errMsg: null });
  });
});
