/** Grants or refuses one jscode2session call on behalf of a caller (a client IP). */
export type LoginBudgetDecision = { granted: true } | { granted: false; retryAfterSeconds: number };

/**
 * The process-wide budget of jscode2session calls, kept below WeChat's per-app quota so a flood
 * cannot lock real buyers out at WeChat. When it runs low the heaviest callers are refused first.
 */
export interface LoginBudget {
  acquire(caller: string, now: Date): LoginBudgetDecision;
}
