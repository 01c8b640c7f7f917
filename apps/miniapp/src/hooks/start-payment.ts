import type { Order, RequestPaymentParams } from '@checkout/protocol/contract';
import Taro from '@tarojs/taro';
import { routes } from '../routes';
import type { AppServices } from '../services/app-services';
import type { PaymentOutcome } from '../services/payment';

/**
 * Hands the payment params to the payment service, then shows the result page, which asks the
 * BFF for the truth. On H5 the cashier navigates back to the result page itself.
 */
export async function startPayment(services: AppServices, order: Order, payment: RequestPaymentParams): Promise<PaymentOutcome> {
  const returnUrl = services.config.platform === 'h5' ? `${window.location.origin}${routes.result(order.id)}` : '';
  const outcome = await services.payment.pay(payment, returnUrl);
  if (outcome.kind === 'redirected') return outcome;
  await Taro.redirectTo({ url: routes.result(order.id, errMsgFor(outcome)) });
  return outcome;
}

function errMsgFor(outcome: Exclude<PaymentOutcome, { kind: 'redirected' }>): string {
  switch (outcome.kind) {
    case 'paid-pending-confirmation':
      return 'requestPayment:ok';
    case 'cancelled':
      return 'requestPayment:fail cancel';
    case 'failed':
      return outcome.errMsg;
    case 'unavailable':
      return `requestPayment:fail ${outcome.message}`;
  }
}
