import type { CheckoutPolicy } from './checkout-policy';
import type { Clock } from './clock';
import type { DomainLogger } from './domain-logger';
import type { ExchangedLoginCodes } from './exchanged-login-codes';
import type { IdGenerator } from './id-generator';
import type { LoginBudget } from './login-budget';
import type { OrderRepository } from './order-repository';
import type { PaymentAnomalyRepository } from './payment-anomaly';
import type { PaymentGateway } from './payment-gateway';
import type { PiiCipher } from './pii-cipher';
import type { ProductRepository } from './product-repository';
import type { SessionTokens } from './session-tokens';
import type { UserRepository } from './user-repository';
import type { WeChatLogin } from './wechat-login';

/** Everything the use-cases depend on, as ports. Wired in create-app / start-bff. */
export interface CheckoutDeps {
  orders: OrderRepository;
  /** Read side of the anomalies the order repository records inside payment transactions. */
  paymentAnomalies: PaymentAnomalyRepository;
  products: ProductRepository;
  users: UserRepository;
  gateway: PaymentGateway;
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
