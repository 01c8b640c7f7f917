import vectors from './official-vectors.json';

/** Known-answer vectors from WeChat Pay's official documentation (copy of shared/vectors/official.json). */
export interface OfficialVectors {
  about: string;
  v2Sign: {
    source: string;
    params: Record<string, string>;
    key: string;
    stringA: string;
    MD5: string;
    'HMAC-SHA256': string;
  };
  requestPayment: {
    source: string;
    key: string;
    params: { appId: string; timeStamp: string; nonceStr: string; package: string };
    MD5: string;
    'HMAC-SHA256': string;
  };
  notificationAck: string;
  notifyRetryScheduleSeconds: readonly number[];
}

// The annotation makes typecheck fail if the JSON copy drifts from this shape.
export const officialVectors: OfficialVectors = vectors;
