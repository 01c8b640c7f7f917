import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { buildSingleCallReport, formatWxPayTime, parseReportResponse, type V2Merchant } from '@checkout/protocol/wxpay';
import type { BffMetrics } from '../metrics/bff-metrics';
import { isFailedCall, type ReportedCall } from './reported-call';

/** 0 off, 1 failed calls only, 2 every call (the official SDKs' REPORT_LEVENL). */
export type ReportLevel = 0 | 1 | 2;

export interface LatencyReporterConfig {
  level: ReportLevel;
  /** Full URL of payitil/report, e.g. `${wxpayBaseUrl}/payitil/report`. */
  reportUrl: string;
  merchant: V2Merchant;
  /** This server's IP as WeChat should see it (`user_ip`). */
  userIp: string;
  deviceInfo?: string;
  /** Reports waiting to be sent; beyond this they are dropped and counted. Default 1000. */
  queueCapacity?: number;
  /** Reports being sent at once. Default 4. */
  concurrency?: number;
  /** Per POST, body read included. Default 1000 ms (the official demo's value). */
  timeoutMs?: number;
}

export interface LatencyReporterDeps {
  logger: Logger;
  metrics?: Pick<BffMetrics, 'reports'>;
  fetch?: typeof fetch;
  nonceStr?: () => string;
}

export interface LatencyReporterStats {
  /** Waiting in the queue. */
  queued: number;
  inFlight: number;
  sent: number;
  failed: number;
  dropped: number;
}

export interface LatencyReporter {
  /** Never throws, never waits: enqueues (or drops) and returns. */
  record(event: ReportedCall): void;
  stats(): LatencyReporterStats;
  /** Resolves once the queue is empty and nothing is in flight. */
  drain(): Promise<void>;
  /** Stops accepting, drops what is still queued (counted), waits for in-flight POSTs (≤ timeout). */
  stop(): Promise<void>;
}

const MAX_EXECUTE_TIME_MS = 24 * 3600 * 1000;

/** WeChat's field length limits, in characters; a long message must not make the report invalid. */
function clip(value: string | undefined, max: number): string | undefined {
  if (value === undefined || value === '') return undefined;
  const chars = [...value];
  return chars.length <= max ? value : chars.slice(0, max).join('');
}

/** Log the 1st, 101st, 201st… drop/failure: visible without flooding the log when WeChat is down. */
const LOG_EVERY = 100;

export function createLatencyReporter(config: LatencyReporterConfig, deps: LatencyReporterDeps): LatencyReporter {
  const capacity = config.queueCapacity ?? 1000;
  const concurrency = config.concurrency ?? 4;
  const timeoutMs = config.timeoutMs ?? 1000;
  const doFetch = deps.fetch ?? globalThis.fetch;
  const nonceStr = deps.nonceStr ?? (() => randomBytes(16).toString('hex'));
  const { logger } = deps;

  const queue: ReportedCall[] = [];
  let inFlight = 0;
  let sent = 0;
  let failed = 0;
  let dropped = 0;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  const drop = (reason: 'queue_full' | 'stopped', count = 1): void => {
    const before = dropped;
    dropped += count;
    deps.metrics?.reports.inc({ result: 'dropped' }, count);
    if (before === 0 || Math.floor(before / LOG_EVERY) !== Math.floor(dropped / LOG_EVERY)) {
      logger.warn({ reason, dropped, capacity }, 'payitil/report dropped (reporting never blocks payments)');
    }
  };

  const fail = (error: unknown): void => {
    failed += 1;
    deps.metrics?.reports.inc({ result: 'failed' });
    if ((failed - 1) % LOG_EVERY === 0) {
      // Only the error class/code: the report body carries nothing secret, but keep logs small.
      const e = error as { name?: string; code?: string; message?: string };
      logger.warn({ failed, error: e.code ?? e.name ?? 'unknown' }, 'payitil/report failed (swallowed)');
    }
  };

  const settleIdle = (): void => {
    if (queue.length === 0 && inFlight === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  const send = async (event: ReportedCall): Promise<void> => {
    const resultCode = event.returnCode === 'SUCCESS' && event.resultCode === 'SUCCESS' ? 'SUCCESS' : 'FAIL';
    const { xml } = buildSingleCallReport(
      {
        interfaceUrl: event.interfaceUrl,
        executeTimeMs: Math.min(Math.max(0, Math.round(event.executeTimeMs)), MAX_EXECUTE_TIME_MS),
        // The wire allows only SUCCESS|FAIL; anything else we saw is a failure.
        returnCode: event.returnCode === 'SUCCESS' ? 'SUCCESS' : 'FAIL',
        returnMsg: clip(event.returnMsg, 128),
        resultCode,
        // A FAIL always says what happened, even when the caller could not tell.
        errCode: clip(event.errCode, 32) ?? (resultCode === 'FAIL' ? 'NO_RESULT' : undefined),
        errCodeDes: clip(event.errCodeDes, 128),
        outTradeNo: event.outTradeNo,
        userIp: config.userIp,
        time: formatWxPayTime(event.startedAt),
        deviceInfo: config.deviceInfo,
      },
      config.merchant,
      nonceStr(),
    );
    const response = await doFetch(config.reportUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: xml,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { code: `HTTP_${response.status}` });
    const answer = parseReportResponse(text);
    if (answer.returnCode !== 'SUCCESS') throw Object.assign(new Error('return_code FAIL'), { code: 'RETURN_FAIL' });
  };

  const pump = (): void => {
    while (inFlight < concurrency && queue.length > 0) {
      const event = queue.shift() as ReportedCall;
      inFlight += 1;
      // send() may throw synchronously (building the XML): keep that inside the promise chain.
      void Promise.resolve()
        .then(() => send(event))
        .then(
          () => {
            sent += 1;
            deps.metrics?.reports.inc({ result: 'sent' });
          },
          fail,
        )
        .finally(() => {
          inFlight -= 1;
          pump();
          settleIdle();
        });
    }
  };

  return {
    record(event) {
      try {
        if (config.level === 0) return;
        if (config.level === 1 && !isFailedCall(event)) return;
        if (stopped) return drop('stopped');
        if (queue.length >= capacity) return drop('queue_full');
        queue.push(event);
        pump();
      } catch (error) {
        // A reporting bug must never surface on the payment path.
        fail(error);
      }
    },
    stats: () => ({ queued: queue.length, inFlight, sent, failed, dropped }),
    drain() {
      if (queue.length === 0 && inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async stop() {
      stopped = true;
      const discarded = queue.splice(0, queue.length).length;
      if (discarded > 0) drop('stopped', discarded);
      settleIdle();
      if (inFlight > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
