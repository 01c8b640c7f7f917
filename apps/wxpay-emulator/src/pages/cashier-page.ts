import type { CashierResult } from '../emulator-types';
import { escapeHtml } from './html-escape';
import type { RegisteredMerchant } from '../state/merchant-registry';
import type { OrderRecord } from '../state/store';

const STYLE = `
body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;background:#ededed;margin:0;padding:24px}
.card{max-width:420px;margin:0 auto;background:#fff;border-radius:8px;padding:24px;box-shadow:0 1px 3px rgba(0,0,0,.1)}
h1{font-size:16px;color:#666;font-weight:normal;margin:0 0 8px}.amount{font-size:40px;font-weight:600;margin:8px 0 16px}
dl{font-size:13px;color:#888;display:grid;grid-template-columns:auto 1fr;gap:4px 12px}dd{margin:0;word-break:break-all;color:#333}
button{display:block;width:100%;padding:12px;margin-top:10px;border:0;border-radius:6px;font-size:16px;cursor:pointer}
.pay{background:#07c160;color:#fff}.cancel{background:#f2f2f2;color:#333}.fail{background:#fff;color:#fa5151;border:1px solid #fa5151}
.error{color:#fa5151}.note{font-size:12px;color:#aaa;margin-top:16px}`;

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><div class="card">${body}
<p class="note">wxpay-emulator 模拟收银台 · 不会产生真实扣款</p></div></body></html>`;
}

function hidden(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
}

/** trade_state as a Chinese cashier would word it (the raw state stays visible for developers). */
const tradeStateLabels: Readonly<Record<string, string>> = {
  NOTPAY: '待支付',
  USERPAYING: '支付中',
  SUCCESS: '已支付',
  REFUND: '已转入退款',
  CLOSED: '已关闭',
  REVOKED: '已撤销',
  PAYERROR: '支付失败',
  ACCEPT: '已接收，等待扣款',
};

/** The cashier the user sees after a successful check: amount, merchant, three choices. */
export function cashierPage(order: OrderRecord, merchant: RegisteredMerchant, formParams: Readonly<Record<string, string>>): string {
  const amount = (order.totalFee / 100).toFixed(2);
  return layout(
    '微信支付',
    `<h1>${escapeHtml(merchant.merchantName ?? merchant.mchId)}</h1>
<div class="amount" data-testid="amount">¥${escapeHtml(amount)}</div>
<dl><dt>商品</dt><dd>${escapeHtml(order.body)}</dd><dt>商户单号</dt><dd>${escapeHtml(order.outTradeNo)}</dd><dt>状态</dt><dd data-testid="state">${escapeHtml(tradeStateLabels[order.tradeState] ?? order.tradeState)} <small>(${escapeHtml(order.tradeState)})</small></dd></dl>
<form method="post" action="/cashier/submit">${hidden(formParams)}
<button class="pay" name="action" value="pay" data-testid="pay">支付</button>
<button class="cancel" name="action" value="cancel" data-testid="cancel">取消</button>
<button class="fail" name="action" value="fail" data-testid="fail">模拟失败</button>
</form>`,
  );
}

/** The client refused the parameters (or there is no redirect to go back to). */
export function cashierResultPage(result: CashierResult, backUrl: string | undefined): string {
  const failed = result.errMsg !== 'requestPayment:ok';
  return layout(
    failed ? '支付未完成' : '支付成功',
    `<h1>${failed ? '支付未完成' : '支付成功'}</h1>
<p class="${failed ? 'error' : ''}" data-testid="errMsg">${escapeHtml(result.errMsg)}</p>
${result.detail === undefined ? '' : `<p>${escapeHtml(result.detail)}</p>`}
${backUrl === undefined ? '' : `<p><a href="${escapeHtml(backUrl)}" data-testid="back">返回商户</a></p>`}`,
  );
}
