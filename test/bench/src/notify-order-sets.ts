import type { BenchDatabase } from './bench-database';
import { mixedDeliveries, mixWarmupOrdersMin, signedNotification } from './notify-deliveries';
import { seedOrders, type OrderTemplate, type SeedIds, type SeedOrder } from './order-seeder';

/** The notifications of the three notify scenarios, for orders seeded pending in one database. */
export interface NotifyBodies {
  firstWarmup: string[];
  first: string[];
  mixWarmup: string[];
  mix: string[];
  /** Today's scenario: these orders are paid by the warm-up, the measured run only repeats. */
  repeat: string[];
}

export interface NotifySizes {
  warmupOrders: number;
  firstDeliveries: number;
  mixFirstDeliveries: number;
  repeatOrders: number;
}

/** Seeds every pending order the notify scenarios pay (copies of the template) and signs their notifications. */
export async function seedNotifyOrders(db: BenchDatabase, template: OrderTemplate, ids: SeedIds, userIds: readonly string[], sizes: NotifySizes): Promise<NotifyBodies> {
  const payableFen = Number(template.pending.order.payable_fen);
  const make = (count: number): SeedOrder[] =>
    Array.from({ length: count }, (_, i) => {
      // Created a few seconds ago: pending, inside the payment window, not yet due for the sweeper.
      const createdAt = new Date(Date.now() - 5_000);
      return { ...ids.order(createdAt), userId: userIds[i % userIds.length] ?? '', createdAt };
    });
  const sets = {
    firstWarmup: make(sizes.warmupOrders),
    first: make(sizes.firstDeliveries),
    mixWarmup: make(Math.max(sizes.warmupOrders, mixWarmupOrdersMin)),
    mix: make(sizes.mixFirstDeliveries),
    repeat: make(sizes.repeatOrders),
  };
  await seedOrders(db, template, Object.values(sets).flat(), ids);
  const sign = (orders: SeedOrder[]) => orders.map((order) => signedNotification({ outTradeNo: order.outTradeNo, payableFen, transactionId: ids.transaction() }));
  const mixWarmup = sign(sets.mixWarmup);
  return { firstWarmup: sign(sets.firstWarmup), first: sign(sets.first), mixWarmup, mix: mixedDeliveries(mixWarmup, sign(sets.mix)), repeat: sign(sets.repeat) };
}
