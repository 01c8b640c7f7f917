/* eslint-disable @typescript-eslint/require-await -- in memory, the async ports answer at once */
import type { CheckoutDeps } from '../../src/domain/checkout-deps';
import type { CheckoutPolicy } from '../../src/domain/checkout-policy';
import type { ProductRecord } from '../../src/domain/checkout/product-repository';
import type { UserRecord } from '../../src/domain/session/user-repository';
import { createOrder } from '../../src/domain/checkout/create-order';
import type { OrderRecord } from '../../src/domain/orders/order-record';
import { defaultSubsidyRule } from '../../src/domain/checkout/subsidy-rule';
import { InMemoryOrderRepository } from './in-memory-order-repository';
import { InMemoryWeChatPay } from './in-memory-wechat-pay';
import { InMemoryRefundGateway } from './in-memory-refund-gateway';
import { InMemoryRefundRepository } from './in-memory-refund-repository';

export const unitMerchant = { appId: 'wx0000000000000001', mchId: '1900000001' };

/** A national-subsidy buyer (fictional data in the documented shapes). */
export const unitBuyer = { realName: '张三', identityDocumentType: 'ID_DOC_TYPE_ID_CARD', idCardNumber: '11010519491231002X', phoneNumber: '13800138000', receiveRegionCode: '110101', qualificationRegionCode: 310100 } as const;

export const unitProducts: ProductRecord[] = [
  { id: 'tea', name: '绿茶', description: '', priceFen: 1_500, imageUrl: null, appliance: null, active: true, fulfillment: 'virtual' },
  { id: 'fridge', name: '冰箱', description: '', priceFen: 300_000, imageUrl: null, appliance: { applianceId: 1, brand: '海尔', energyGrade: 'FIRST_LEVEL' }, active: true, fulfillment: 'courier' },
  { id: 'retired', name: '旧款', description: '', priceFen: 100, imageUrl: null, appliance: null, active: false, fulfillment: 'courier' },
];

export interface UnitWorld {
  deps: CheckoutDeps;
  orders: InMemoryOrderRepository;
  wechatPay: InMemoryWeChatPay;
  refunds: InMemoryRefundRepository;
  refundGateway: InMemoryRefundGateway;
  user: UserRecord;
  logs: { level: string; msg: string; obj: object }[];
  /** Moves the shared clock forward. */
  advance(seconds: number): void;
}

/**
 * The use-cases' ports in memory, no I/O: a movable clock, counting ids, one known buyer, the
 * catalog above and InMemoryWeChatPay. Ports a use-case under test must not touch throw.
 */
export function unitWorld(policy: Partial<CheckoutPolicy> = {}): UnitWorld {
  let now = new Date('2026-12-01T10:00:00.000Z');
  const clock = { now: () => new Date(now) };
  let sequence = 0;
  const next = () => String(++sequence).padStart(6, '0');
  const user: UserRecord = { id: 'user-1', openid: 'o-buyer-1', sessionGeneration: 0 };
  const orders = new InMemoryOrderRepository(clock);
  const wechatPay = new InMemoryWeChatPay(unitMerchant);
  const refunds = new InMemoryRefundRepository(orders);
  const refundGateway = new InMemoryRefundGateway();
  const logs: UnitWorld['logs'] = [];
  const log = (level: string) => (obj: object, msg: string) => void logs.push({ level, msg, obj });
  const unused = (port: string) =>
    new Proxy({}, {
      get: (_target, method) => () => {
        throw new Error(`${port}.${String(method)} is not used by this use-case`);
      },
    });
  const deps: CheckoutDeps = {
    orders,
    paymentAnomalies: unused('paymentAnomalies') as CheckoutDeps['paymentAnomalies'],
    products: {
      listActive: async () => unitProducts.filter((p) => p.active),
      findByIds: async (ids) => unitProducts.filter((p) => ids.includes(p.id)),
    },
    users: {
      findById: async (id) => (id === user.id ? { ...user } : null),
      upsertByOpenid: async () => ({ ...user }),
      findSessionGeneration: async (id) => (id === user.id ? user.sessionGeneration : null),
      revokeSessions: async () => true,
    },
    gateway: wechatPay,
    refunds,
    refundGateway,
    login: unused('login') as CheckoutDeps['login'],
    loginBudget: unused('loginBudget') as CheckoutDeps['loginBudget'],
    loginCodes: unused('loginCodes') as CheckoutDeps['loginCodes'],
    sessions: unused('sessions') as CheckoutDeps['sessions'],
    // Reversible and visibly not plaintext: enough to check that PII is sealed before storage.
    pii: { seal: (text) => `sealed:${Buffer.from(text).toString('base64')}`, open: (sealed) => Buffer.from(sealed.slice('sealed:'.length), 'base64').toString() },
    fingerprint: (value) => JSON.stringify(value),
    clock,
    ids: {
      userId: () => `user-${next()}`,
      orderId: () => `order-${next()}`,
      outTradeNo: () => `T${next()}`,
      nonceStr: () => `nonce${next()}`,
      eventId: () => `event-${next()}`,
      refundId: () => `refund-${next()}`,
      outRefundNo: () => `R${next()}`,
    },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    policy: {
      ...unitMerchant,
      signType: 'HMAC-SHA256',
      notifyUrl: 'https://shop.example/wxpay/notify',
      spbillCreateIp: '203.0.113.7',
      orderBodyPrefix: '小店',
      merchantOrderFields: {},
      singleItemDiscount: false,
      paymentWindowSeconds: 15 * 60,
      prepayLifetimeSeconds: 2 * 60 * 60,
      prepayRenewMarginSeconds: 5 * 60,
      queryAfterSeconds: 10,
      requeryIntervalSeconds: 30,
      closeFloorSeconds: 5 * 60,
      subsidy: defaultSubsidyRule,
      refunds: { queryAfterSeconds: 60, anomalies: 'automatic', anomalyReason: '退回重复支付' },
      ...policy,
    },
  };
  return { deps, orders, wechatPay, refunds, refundGateway, user, logs, advance: (seconds) => void (now = new Date(now.getTime() + seconds * 1000)) };
}

/** One tea ordered and paid (the notification applied); its transaction id is WeChat Pay's. */
export async function placePaidOrder(world: UnitWorld): Promise<OrderRecord> {
  const order = await placeOrder(world);
  const transactionId = world.wechatPay.pay(order.outTradeNo);
  const paid = await world.orders.markPaid({ orderId: order.id, transactionId, paidAt: world.deps.clock.now(), source: 'notify' });
  if (paid.kind !== 'applied') throw new Error(`order ${order.id} not paid: ${paid.kind}`);
  return paid.order;
}

/** One tea ordered by the world's buyer, as checkout stored it (pending, with a prepay_id). */
export async function placeOrder(world: UnitWorld): Promise<OrderRecord> {
  return (await createOrder(world.deps, { userId: world.user.id, request: { items: [{ productId: 'tea', quantity: 1 }] }, idempotencyKey: null })).order;
}
