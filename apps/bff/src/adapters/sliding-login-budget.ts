import type { LoginBudget, LoginBudgetDecision } from '../domain/session/login-budget';

export interface SlidingLoginBudgetOptions {
  /** Calls allowed in any window (keep it below WeChat's per-app quota divided by the instances). */
  max: number;
  windowMs: number;
}

/**
 * At most `max` grants in any `windowMs` (a sliding log, so two fixed windows cannot add up to
 * twice the budget inside one of WeChat's minutes). Fair shedding: a caller is refused once its
 * grants in the window reach half of what is left, so as the budget drains the heaviest callers
 * are cut off first and a caller with no grants yet is served while anything remains. One entry
 * per grant: memory is bounded by `max`. Per process, in memory.
 */
export class SlidingLoginBudget implements LoginBudget {
  private readonly grants: { at: number; caller: string }[] = [];
  private head = 0;
  private readonly byCaller = new Map<string, number>();

  constructor(private readonly options: SlidingLoginBudgetOptions) {}

  acquire(caller: string, now: Date): LoginBudgetDecision {
    const t = now.getTime();
    this.expire(t);
    const used = this.grants.length - this.head;
    const remaining = this.options.max - used;
    const mine = this.byCaller.get(caller) ?? 0;
    if (remaining <= 0 || mine * 2 >= remaining) {
      // The oldest grant leaves the window first; that is when anything can change.
      const oldest = this.grants[this.head]?.at ?? t;
      return { granted: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.options.windowMs - t) / 1000)) };
    }
    this.grants.push({ at: t, caller });
    this.byCaller.set(caller, mine + 1);
    return { granted: true };
  }

  private expire(t: number): void {
    while (this.head < this.grants.length) {
      const grant = this.grants[this.head];
      if (!grant || grant.at > t - this.options.windowMs) break;
      this.head += 1;
      const left = (this.byCaller.get(grant.caller) ?? 1) - 1;
      if (left > 0) this.byCaller.set(grant.caller, left);
      else this.byCaller.delete(grant.caller);
    }
    // Compact now and then instead of shifting on every expiry.
    if (this.head > 1024 && this.head * 2 > this.grants.length) {
      this.grants.splice(0, this.head);
      this.head = 0;
    }
  }
}
