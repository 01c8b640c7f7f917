import { describe, expect, it } from 'vitest';
import { createBffMetrics } from './bff-metrics';
import { observeHttpRequest } from './observe-http-request';
import { renderMetrics } from './render-metrics';

describe('BFF metrics', () => {
  it('renders every issue-7 metric in Prometheus text format on a private registry', async () => {
    const metrics = createBffMetrics();
    observeHttpRequest(metrics, { method: 'POST', route: '/api/orders', status: 201, durationSeconds: 0.042 });
    metrics.wxpayCalls.inc({ interface: '/pay/unifiedorder', outcome: 'SUCCESS' });
    metrics.wxpayCallDuration.observe({ interface: '/pay/unifiedorder', outcome: 'SUCCESS' }, 0.2);
    metrics.reports.inc({ result: 'dropped' });
    metrics.outboxJobs.set({ status: 'pending' }, 3);
    metrics.outboxAttempts.inc({ kind: 'gov_subsidy_sync', result: 'retry' });
    metrics.outboxDeadLetters.inc({ kind: 'gov_subsidy_sync' });
    metrics.notifications.inc({ result: 'rejected', reason: 'bad_signature' });

    const { contentType, body } = await renderMetrics(metrics.registry);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const line of [
      'bff_http_requests_total{method="POST",route="/api/orders",status="201"} 1',
      'bff_http_request_duration_seconds_bucket{le="0.05",method="POST",route="/api/orders",status="201"} 1',
      'bff_wxpay_calls_total{interface="/pay/unifiedorder",outcome="SUCCESS"} 1',
      'bff_wxpay_call_duration_seconds_count{interface="/pay/unifiedorder",outcome="SUCCESS"} 1',
      'bff_wxpay_reports_total{result="dropped"} 1',
      'bff_outbox_jobs{status="pending"} 3',
      'bff_outbox_attempts_total{kind="gov_subsidy_sync",result="retry"} 1',
      'bff_outbox_dead_letters_total{kind="gov_subsidy_sync"} 1',
      'bff_wxpay_notifications_total{result="rejected",reason="bad_signature"} 1',
    ]) {
      expect(body).toContain(line);
    }
    expect(body).toContain('bff_process_cpu_user_seconds_total');
  });

  it('two apps in one process do not share or collide on metrics', async () => {
    const a = createBffMetrics({ collectDefault: false });
    const b = createBffMetrics({ collectDefault: false });
    a.reports.inc({ result: 'sent' });
    expect((await renderMetrics(b.registry)).body).not.toContain('bff_wxpay_reports_total{result="sent"}');
  });
});
