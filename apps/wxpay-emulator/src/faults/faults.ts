import { z } from 'zod';
import type { EmulatorEndpoint, FaultSpec } from '../emulator-types';

/** What happens to one request, decided when it arrives. */
export interface FaultPlan {
  latencyMs: number;
  systemError: boolean;
  dropConnection: boolean;
  corruptSignature: boolean;
  httpStatus: number | undefined;
  answerDelayMs: number;
}

export const NO_FAULT: FaultPlan = { latencyMs: 0, systemError: false, dropConnection: false, corruptSignature: false, httpStatus: undefined, answerDelayMs: 0 };

const rate = z.number().min(0).max(1).optional();

export const faultSpecSchema = z.strictObject({
  systemErrorRate: rate,
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  dropConnectionRate: rate,
  corruptSignatureRate: rate,
  httpStatus: z.number().int().min(100).max(599).optional(),
  answerDelayMs: z.number().int().min(0).max(120_000).optional(),
  count: z.number().int().min(1).optional(),
});

export class FaultInjector {
  private readonly specs = new Map<EmulatorEndpoint, { spec: FaultSpec; remaining: number | undefined }>();

  constructor(private readonly random: () => number) {}

  set(endpoint: EmulatorEndpoint, spec: FaultSpec): void {
    const parsed = faultSpecSchema.parse(spec);
    this.specs.set(endpoint, { spec: parsed, remaining: parsed.count });
  }

  clear(endpoint?: EmulatorEndpoint): void {
    if (endpoint === undefined) this.specs.clear();
    else this.specs.delete(endpoint);
  }

  snapshot(): Partial<Record<EmulatorEndpoint, FaultSpec>> {
    return Object.fromEntries([...this.specs].map(([endpoint, { spec, remaining }]) => [endpoint, { ...spec, count: remaining }]));
  }

  /** Draws this request's faults; counts down `count` and clears the spec when it runs out. */
  take(endpoint: EmulatorEndpoint): FaultPlan {
    const entry = this.specs.get(endpoint);
    if (entry === undefined) return NO_FAULT;
    if (entry.remaining !== undefined) {
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.specs.delete(endpoint);
    }
    const { spec } = entry;
    const hit = (p: number | undefined): boolean => p !== undefined && p > 0 && this.random() < p;
    return {
      latencyMs: spec.latencyMs ?? 0,
      systemError: hit(spec.systemErrorRate),
      dropConnection: hit(spec.dropConnectionRate),
      corruptSignature: hit(spec.corruptSignatureRate),
      httpStatus: spec.httpStatus,
      answerDelayMs: spec.answerDelayMs ?? 0,
    };
  }
}

/** Changes a hex or base64 signature so it no longer verifies but keeps its length and alphabet. */
export function corruptSignatureText(signature: string): string {
  return (signature.startsWith('A') ? 'B' : 'A') + signature.slice(1);
}
