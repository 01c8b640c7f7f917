import { Router } from '@koa/router';
import type { EmulatorDeps } from '../emulator-deps';
import { checkTokenRequest } from '../rules/access-token-rules';
import { jsonBodyOrEmpty, withRid, wxJsonEndpoint } from './wx-json-endpoint';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `POST /cgi-bin/stable_token` (JSON body only; a form body reads as no fields: 41002) and
 * `GET /cgi-bin/token` (query). Tokens live on the emulator clock; see state/access-tokens.ts.
 */
export function accessTokenRoutes(deps: EmulatorDeps): Router {
  const router = new Router();
  router.all(
    '/cgi-bin/stable_token',
    wxJsonEndpoint(deps, 'stableToken', async (ctx) => {
      const body = await jsonBodyOrEmpty(ctx, deps);
      if (!body.ok) return withRid(body.error);
      const checked = checkTokenRequest(deps.merchants, isObject(body.value) ? body.value : {}, 'stable');
      if (!checked.ok) return withRid(checked.error);
      const result = deps.tokens.stable(checked.merchant.appId, checked.forceRefresh);
      if (!result.ok) return withRid({ errcode: result.errcode, errmsg: 'reach max api daily quota limit' });
      return { access_token: result.accessToken, expires_in: result.expiresIn };
    }),
  );
  router.all(
    '/cgi-bin/token',
    wxJsonEndpoint(
      deps,
      'cgiToken',
      (ctx) => {
        const checked = checkTokenRequest(deps.merchants, ctx.query, 'basic');
        if (!checked.ok) return withRid(checked.error);
        const token = deps.tokens.basic(checked.merchant.appId);
        return { access_token: token.accessToken, expires_in: token.expiresIn };
      },
      ['GET', 'POST'],
    ),
  );
  return router;
}
