import type { Router } from '@koa/router';
import type { SessionResponse } from '@checkout/protocol/contract';
import { sessionRequestSchema } from '@checkout/protocol/contract';
import type { CheckoutDeps } from '../../domain/checkout-deps';
import { createSession } from '../../domain/create-session';
import type { AppState } from '../app-state';
import { jsonBody } from '../middleware/json-body';

export function sessionRoutes(router: Router<AppState>, deps: { checkout: CheckoutDeps; jsonLimitBytes: number }): void {
  router.post('/api/session', jsonBody({ limitBytes: deps.jsonLimitBytes }), async (ctx) => {
    const { code } = sessionRequestSchema.parse(ctx.state.body);
    const session = await createSession(deps.checkout, code);
    const body: SessionResponse = { token: session.token, expiresAt: session.expiresAt.toISOString() };
    ctx.body = body;
  });
}
