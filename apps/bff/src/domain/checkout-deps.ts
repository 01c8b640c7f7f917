import type { CheckoutPolicy } from './checkout-policy';
import type { Clock } from './ports/clock';
import type { DomainLogger } from './ports/domain-logger';
import type { ExchangedLoginCodes } from './session/exchanged-login-codes';
import type { IdGenerator } from './ports/id-generator';
import type { LoginBudget } from './session/login-budget';
import type { OrderRepository } from './orders/order-repository';
import type { PaymentAnomalyRepository } from './orders/payment-anomaly';
import type { PaymentGateway } from './ports/payment-gateway';
import type { RefundGateway } from './ports/refund-gateway';
import type { RefundRepository } from './refunds/refund-repository';
import type { PiiCipher } from './ports/pii-cipher';
import type { ProductRepository } from './checkout/product-repository';
import type { SessionTokens } from './session/session-tokens';
import type { UserRepository } from './session/user-repository';
import type { WeChatLogin } from './session/wechat-login';

/** Everything the use-cases depend on, as ports. Wired in composition/. */
export interface CheckoutDeps {
  orders: OrderRepository;
  /** Read side of the anomalies the order repository records inside payment transactions. */
  paymentAnomalies: PaymentAnomalyRepository;
  products: ProductRepository;
  users: UserRepository;
  gateway: PaymentGateway;
  refunds: RefundRepository;
  refundGateway: RefundGateway;
  login: WeChatLogin;
  /** jscode2session calls this process may still make, shared fairly among client IPs. */
  loginBudget: LoginBudget;
  /** Recently exchanged wx.login codes (a repeat is answered without calling WeChat). */
  loginCodes: ExchangedLoginCodes;
  sessions: SessionTokens;
  pii: PiiCipher;
  /** Keyed hash of a request body for Idempotency-Key comparison (keyed: bodies may hold PII). */
  fingerprint: (value: unknown) => string;
  clock: Clock;
  ids: IdGenerator;
  logger: DomainLogger;
  policy: CheckoutPolicy;
}
