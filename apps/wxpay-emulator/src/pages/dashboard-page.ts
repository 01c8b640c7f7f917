/**
 * `GET /__emulator/`: a live view of orders (with the merchant fields of their unifiedorder and
 * their coupons) and their refunds, notification deliveries, reports
 * and gov syncs, with buttons for portal refunds and refund outcomes (settle, close, CHANGE); the
 * mini-program side: shipping uploads per order (confirm receipt), issued access tokens (state and
 * times only, never the values; expire / invalidate all) and message pushes.
 * Static HTML polling `/__emulator/state` every 2 s; values go in via textContent (order bodies and
 * answers are untrusted text). Gov-sync personal data arrives masked.
 */
export function dashboardPage(): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>wxpay-emulator</title>
<style>
body{font:13px -apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:16px;color:#222}
h1{font-size:18px}h2{font-size:15px;margin-top:24px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#fafafa}td.mono{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
.SUCCESS,.ok{color:#07a050}.NOTPAY,.PROCESSING{color:#b07d00}.CLOSED,.REFUNDCLOSE{color:#888}.PAYERROR,.CHANGE,.bad{color:#d33}.REFUND{color:#2a6fd6}
#meta{color:#888}button{margin-left:8px}.note{color:#888;margin:4px 0}
</style></head><body>
<h1>wxpay-emulator</h1><div id="meta">loading…</div>
<h2>Orders</h2><table id="orders"></table>
<h2>Refunds <label><input type="checkbox" id="hold"> hold new refunds in PROCESSING</label></h2><table id="refunds"></table>
<h2>Notification deliveries</h2><table id="deliveries"></table>
<h2>payitil/report</h2><p class="note" id="reports-empty" hidden>No report yet. The BFF reports <b>failed</b> calls only by default (<code>WXPAY_REPORT_LEVEL=1</code>, as the official SDKs do): successful payments leave this table empty. Start the BFF with <code>WXPAY_REPORT_LEVEL=2</code> to see every call here.</p><table id="reports"></table>
<h2>Gov subsidy syncs</h2><table id="syncs"></table>
<h2>Shipping (发货信息管理) <span id="push"></span></h2><table id="shipping"></table>
<h2>Access tokens <button id="expire">expire all (42001)</button><button id="invalidate">invalidate all (40001)</button> <span id="issued"></span></h2><table id="tokens"></table>
<h2>Message pushes</h2><table id="pushes"></table>
<script>
const columns = {
  orders: [['outTradeNo','out_trade_no'],['tradeState','trade_state'],['totalFee','total_fee'],['prepayId','prepay_id'],['signType','sign'],['transactionId','transaction_id'],['createdAt','created'],['prepayExpiresAt','prepay expires'],['deviceInfo','device_info'],['attach','attach'],['goodsTag','goods_tag'],['limitPay','limit_pay'],['receipt','receipt'],['profitSharing','profit_sharing'],['sceneInfo','scene_info'],['detail','detail'],['coupons','coupons']],
  refunds: [['outTradeNo','out_trade_no'],['outRefundNo','out_refund_no'],['refundId','refund_id'],['refundFee','refund_fee'],['totalFee','total_fee'],['refundStatus','refund_status'],['refundRequestSource','source'],['successTime','success_time'],['notifyUrl','notify_url'],['createdAt','created']],
  deliveries: [['id','#'],['kind','kind'],['outTradeNo','out_trade_no'],['outRefundNo','out_refund_no'],['attempt','attempt'],['copy','copy'],['scheduledDelayMs','delay ms'],['at','at'],['status','status'],['acked','acked'],['body','answer'],['error','error']],
  reports: [['receivedAt','received'],['kind','kind'],['interfaceUrl','interface_url'],['executeTimeMs','execute_time_'],['returnCode','return_code'],['resultCode','result_code'],['errCode','err_code']],
  shipping: [['out_trade_no','out_trade_no'],['transaction_id','transaction_id'],['order_state','order_state'],['stateName','state'],['finish_shipping','finish_shipping'],['finish_shipping_count','shipments'],['uploadCount','uploads'],['lastUpload','last upload'],['confirmed_at','receipt confirmed']],
  tokens: [['appid','appid'],['kind','kind'],['issuedAt','issued'],['expiresAt','expires'],['state','state']],
  pushes: [['id','#'],['event','event'],['transactionId','transaction_id'],['at','at'],['url','url'],['status','status'],['acked','acked'],['body','answer'],['error','error']],
  syncs: [['receivedAt','received'],['mchId','mch_id'],['body.out_trade_no','out_trade_no'],['body.cate_state','cate_state'],['body.order_amount','order_amount'],['body.discount_amount','discount'],['orderPaid','order paid']],
};
/** People read Beijing time (WeChat Pay's own fields are Beijing time too): ISO UTC instants are shown in it. */
const isoInstant = /^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$/;
function beijing(iso) {
  const date = new Date(Date.parse(iso) + 8 * 3600 * 1000);
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
function show(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return typeof value === 'string' && isoInstant.test(value) ? beijing(value) : String(value);
}
function pick(row, path) { return path.split('.').reduce((v, k) => (v == null ? v : v[k]), row); }
async function act(method, path, body) {
  const response = await fetch('/__emulator' + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) { const answer = await response.json(); alert(answer.code + ': ' + answer.message); }
  refresh();
}
function button(label, onClick) { const b = document.createElement('button'); b.textContent = label; b.onclick = onClick; return b; }
/** Per-row actions: a portal refund for a paid order, an outcome for a PROCESSING refund. */
const actions = {
  orders(row, td) {
    if (row.tradeState !== 'SUCCESS' && row.tradeState !== 'REFUND') return;
    td.appendChild(button('portal refund', () => {
      const fen = Number(prompt('refund_fee (fen) for ' + row.outTradeNo, String(row.totalFee)));
      if (Number.isInteger(fen) && fen > 0) act('POST', '/refunds', { outTradeNo: row.outTradeNo, refundFee: fen });
    }));
  },
  shipping(row, td) {
    if (row.order_state !== 2) return;
    const path = '/shipping/' + encodeURIComponent(row.transaction_id) + '/confirm-receipt';
    td.appendChild(button('confirm receipt', () => act('POST', path, {})));
  },
  refunds(row, td) {
    if (row.refundStatus !== 'PROCESSING') return;
    const path = '/refunds/' + encodeURIComponent(row.outRefundNo);
    td.appendChild(button('settle', () => act('POST', path + '/settle')));
    td.appendChild(button('close', () => act('POST', path + '/close')));
    td.appendChild(button('CHANGE', () => act('POST', path + '/change')));
  },
};
document.getElementById('expire').onclick = () => act('POST', '/access-tokens/expire');
document.getElementById('invalidate').onclick = () => act('POST', '/access-tokens/invalidate');
const STATE_NAMES = { 1: '待发货', 2: '已发货', 3: '确认收货', 4: '交易完成', 5: '已退款', 6: '资金待结算' };
const MODES = { 1: 'express', 2: 'same-city', 3: 'virtual', 4: 'pickup' };
function shippingRow(row) {
  const last = row.uploads[row.uploads.length - 1];
  const lastUpload = last === undefined ? '' : (MODES[last.logistics_type] || last.logistics_type) + (last.delivery_mode === 2 ? ' split' + (last.is_all_delivered ? ' (all)' : '') : '') + ' · ' + last.upload_time + ' · ' + last.shipping_list.map((i) => (i.express_company ? i.express_company + ' ' + i.tracking_no + ': ' : '') + i.item_desc).join('; ') + (last.reship ? ' · re-ship' : '');
  return { ...row, stateName: STATE_NAMES[row.order_state] || '', uploadCount: row.uploads.length, lastUpload };
}
document.getElementById('hold').onchange = (e) => act('PUT', '/refunds/hold', { hold: e.target.checked });
function render(id, rows) {
  const table = document.getElementById(id);
  table.replaceChildren();
  const head = table.insertRow();
  for (const [, label] of columns[id]) { const th = document.createElement('th'); th.textContent = label; head.appendChild(th); }
  if (actions[id] !== undefined) head.appendChild(document.createElement('th'));
  for (const row of rows.slice().reverse().slice(0, 200)) {
    const tr = table.insertRow();
    for (const [path] of columns[id]) {
      const td = tr.insertCell();
      const value = pick(row, path);
      td.textContent = show(value);
      td.className = 'mono ' + (path === 'tradeState' || path === 'refundStatus' ? String(value) : path === 'acked' ? (value ? 'ok' : 'bad') : path === 'state' ? (value === 'valid' ? 'ok' : 'bad') : '');
    }
    if (actions[id] !== undefined) actions[id](row, tr.insertCell());
  }
}
async function refresh() {
  try {
    const state = await (await fetch('/__emulator/state')).json();
    document.getElementById('meta').textContent = 'emulator clock ' + show(state.now) + ' (Beijing time, as every time on this page) · faults ' + JSON.stringify(state.faults) + ' · notify ' + JSON.stringify(state.notifyOptions);
    document.getElementById('hold').checked = state.refundsHeld;
    render('orders', state.orders); render('refunds', state.refunds); render('deliveries', state.deliveries); render('reports', state.reports); render('syncs', state.govSyncs);
    render('shipping', state.shipping.map(shippingRow)); render('tokens', state.accessTokens.tokens); render('pushes', state.messagePushes);
    document.getElementById('issued').textContent = state.accessTokens.issued + ' minted';
    document.getElementById('push').textContent = state.messagePush ? 'message push → ' + state.messagePush.url : 'no message-push URL';
    document.getElementById('reports-empty').hidden = state.reports.length > 0;
  } catch (e) { document.getElementById('meta').textContent = 'cannot reach the emulator: ' + e; }
}
refresh(); setInterval(refresh, 2000);
</script></body></html>`;
}
