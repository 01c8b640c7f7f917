import { describe, expect, it } from 'vitest';
import { SlidingLoginBudget } from './sliding-login-budget';

const at = (ms: number): Date => new Date(Date.UTC(2026, 0, 1) + ms);

describe('SlidingLoginBudget', () => {
  it('never grants more than max in any window, also across a window boundary', () => {
    const budget = new SlidingLoginBudget({ max: 10, windowMs: 60_000 });
    let granted = 0;
    // One new caller per request (nobody is "heavy"): only the total bounds them.
    for (let i = 0; i < 30; i += 1) if (budget.acquire(`10.0.0.${String(i)}`, at(59_000)).granted) granted += 1;
    expect(granted).toBe(10);
    // A fixed window would start afresh at 60 s; the sliding one waits until the grants are a window old.
    expect(budget.acquire('10.1.0.1', at(60_500)).granted).toBe(false);
    expect(budget.acquire('10.1.0.2', at(119_000)).granted).toBe(true);
  });

  it('sheds the heaviest callers first and keeps serving a new caller while anything is left', () => {
    const budget = new SlidingLoginBudget({ max: 100, windowMs: 60_000 });
    const grants = new Map<string, number>();
    const flooders = ['198.51.100.1', '198.51.100.2', '198.51.100.3'];
    for (let round = 0; round < 100; round += 1) {
      for (const ip of flooders) if (budget.acquire(ip, at(round)).granted) grants.set(ip, (grants.get(ip) ?? 0) + 1);
    }
    const flooded = [...grants.values()].reduce((sum, n) => sum + n, 0);
    // Three flooders together are cut off well before the budget is gone…
    expect(flooded).toBeLessThan(100);
    // …so a buyer who has not logged in yet is still served, several times over.
    for (let i = 0; i < 5; i += 1) expect(budget.acquire(`203.0.113.${String(i)}`, at(200)).granted).toBe(true);
    // A flooder stays refused, with a Retry-After until the oldest grant leaves the window.
    const refused = budget.acquire('198.51.100.1', at(200));
    expect(refused).toEqual({ granted: false, retryAfterSeconds: 60 });
  });

  it('a refused caller is served again once its grants leave the window', () => {
    const budget = new SlidingLoginBudget({ max: 4, windowMs: 1000 });
    expect(budget.acquire('a', at(0)).granted).toBe(true);
    // 1 grant of a, 3 left: 1·2 < 3 → granted; 2 grants, 2 left: 2·2 ≥ 2 → refused.
    expect(budget.acquire('a', at(1)).granted).toBe(true);
    expect(budget.acquire('a', at(2)).granted).toBe(false);
    expect(budget.acquire('b', at(3)).granted).toBe(true);
    expect(budget.acquire('a', at(1001)).granted).toBe(true);
  });
});
