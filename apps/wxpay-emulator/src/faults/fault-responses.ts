import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from 'koa';
import type { FaultPlan } from './faults';

/**
 * Faults that act before the request is processed: added latency, then an injected HTTP status
 * (a gateway error: the request never reached WeChat Pay). Returns true when it answered.
 */
export async function applyPreFaults(ctx: Context, plan: FaultPlan): Promise<boolean> {
  if (plan.latencyMs > 0) await sleep(plan.latencyMs);
  if (plan.httpStatus === undefined) return false;
  ctx.status = plan.httpStatus;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = `<html><body><h1>${plan.httpStatus}</h1><p>injected by wxpay-emulator</p></body></html>`;
  return true;
}

/** The request was processed but its answer is lost: the socket closes with no response. */
export function dropConnection(ctx: Context): void {
  ctx.respond = false;
  ctx.req.socket.destroy();
}
