import type { Router } from '@koa/router';
import { adminRoutes, wechatOrderStateNames, type AdminShipment, type AdminShippingView } from '@checkout/protocol/contract';
import { DomainError } from '../../domain/domain-error';
import type { RecordedShipment, RecordShipmentInput } from '../../domain/shipping/record-shipment';
import type { UploadState } from '../../domain/shipping/shipping-reader';
import type { ShipmentRecord } from '../../domain/shipping/shipping-record';
import type { OrderShippingOverview } from '../../domain/shipping/view-order-shipping';
import type { AppState } from '../app-state';
import { idempotencyKey } from '../idempotency-key';
import { requireAdmin } from '../middleware/admin-token';
import { jsonBody } from '../middleware/json-body';
import { mountRoute } from '../mount-route';

export interface AdminShippingDeps {
  recordShipment: (input: RecordShipmentInput) => Promise<RecordedShipment>;
  viewShipping: (outTradeNo: string) => Promise<OrderShippingOverview>;
  /** Called after an upload job committed, so the outbox worker sends it now. */
  onEnqueued?: () => void;
}

/**
 * Shipments of courier orders and the shipping view. Bearer ADMIN_TOKEN before the body is read;
 * a shipment needs an Idempotency-Key: an operator's retry must never upload twice (a second
 * upload would spend the order's one re-ship at WeChat).
 */
export function adminShippingRoutes(router: Router<AppState>, deps: AdminShippingDeps & { token: string | null; jsonLimitBytes: number }): void {
  const admin = requireAdmin(deps.token);

  mountRoute(router, adminRoutes.recordShipment, admin, jsonBody({ limitBytes: deps.jsonLimitBytes }), async (ctx) => {
    const key = idempotencyKey(ctx.get('idempotency-key'));
    if (key === null) throw new DomainError('VALIDATION_FAILED', 'a shipment needs an Idempotency-Key header', [{ path: 'Idempotency-Key', message: 'required' }]);
    const body = adminRoutes.recordShipment.request.parse(ctx.state.body);
    const recorded = await deps.recordShipment({ outTradeNo: ctx.params.outTradeNo ?? '', idempotencyKey: key, parcels: body.parcels, completesDelivery: body.completesDelivery });
    if (recorded.created) deps.onEnqueued?.();
    ctx.status = recorded.created ? adminRoutes.recordShipment.status : 200;
    // The upload state is read by GET …/shipping; a new shipment's upload is pending.
    ctx.body = { shipment: toAdminShipment(recorded.shipment, { state: 'pending', attempts: 0, lastError: null, nextAttemptAt: null }), status: recorded.status };
  });

  mountRoute(router, adminRoutes.orderShipping, admin, async (ctx) => {
    const overview = await deps.viewShipping(ctx.params.outTradeNo ?? '');
    ctx.body = toAdminShippingView(overview);
  });
}

function toAdminShipment(shipment: ShipmentRecord, upload: UploadState): AdminShipment {
  return {
    id: shipment.id,
    sequence: shipment.sequence,
    parcels: shipment.parcels,
    completesDelivery: shipment.completesDelivery,
    uploadTime: shipment.uploadTime,
    upload: { state: upload.state, attempts: upload.attempts, lastError: upload.lastError, nextAttemptAt: upload.nextAttemptAt?.toISOString() ?? null },
    createdAt: shipment.createdAt.toISOString(),
  };
}

function toAdminShippingView(overview: OrderShippingOverview): AdminShippingView {
  const { shipping, wechat } = overview;
  return {
    outTradeNo: overview.outTradeNo,
    fulfillment: shipping.fulfillment,
    status: shipping.status,
    receivedAt: shipping.receivedAt?.toISOString() ?? null,
    confirmReceiveMethod: shipping.confirmReceiveMethod,
    settlementTime: shipping.settlementTime?.toISOString() ?? null,
    shipments: overview.shipments.map(({ shipment, upload }) => toAdminShipment(shipment, upload)),
    wechat: wechat.available
      ? {
          available: true,
          orderState: wechat.order.orderState,
          orderStateName: wechatOrderStateNames[wechat.order.orderState] ?? `unknown_${wechat.order.orderState}`,
          // 2 shipped and every later state (3, 4, 6) imply shipped; 5 refunded says nothing.
          shipped: [2, 3, 4, 6].includes(wechat.order.orderState),
          confirmed: [3, 4, 6].includes(wechat.order.orderState),
          settled: wechat.order.orderState === 4,
          inComplaint: wechat.order.inComplaint,
          finishShippingCount: wechat.order.shipping?.finishShippingCount ?? null,
          trackingNumbers: wechat.order.shipping?.trackingNumbers ?? [],
        }
      : { available: false, reason: wechat.reason },
  };
}
