import { join } from 'node:path';
import { ContractClient, ManagedProcess } from '@checkout/test-harness';

const repoRoot = join(import.meta.dirname, '../../../..');
const bffDir = join(repoRoot, 'apps/bff');

export interface BffInstance {
  name: string;
  url: string;
  process: ManagedProcess;
  client: ContractClient;
}

export interface BffCluster {
  instances: BffInstance[];
  stop(): Promise<void>;
}

/**
 * `count` BFF processes (`node --import tsx apps/bff/src/main.ts`, what `tsx src/main.ts` runs)
 * on one database, each on its own random port, started at the same moment so that they also
 * race through migrations and seeding.
 */
export async function startBffCluster(options: {
  count: number;
  databaseUrl: string;
  wxpayBaseUrl: string;
  env?: Readonly<Record<string, string>>;
  /** The BFF package directory (default: apps/bff of this repository). */
  bffDir?: string;
}): Promise<BffCluster> {
  const dir = options.bffDir ?? bffDir;
  const processes = Array.from(
    { length: options.count },
    (_, index) =>
      new ManagedProcess({
        name: `bff-${String.fromCharCode(97 + index)}`,
        entry: join(dir, 'src/main.ts'),
        cwd: dir,
        env: {
          DATABASE_URL: options.databaseUrl,
          DATABASE_POOL_SIZE: '10',
          HOST: '127.0.0.1',
          PORT: '0',
          WXPAY_MCH_BASE_URL: options.wxpayBaseUrl,
          WXPAY_API_BASE_URL: options.wxpayBaseUrl,
          // The storm comes from one address; the public API and login limits are not under test here.
          RATE_LIMIT_MAX: '1000000',
          LOGIN_RATE_LIMIT_MAX: '1000000',
          LOGIN_BUDGET_MAX: '1000000',
          LOG_LEVEL: 'info',
          ...options.env,
        },
      }),
  );
  const stop = async (): Promise<void> => {
    await Promise.all(processes.map((process) => process.stop()));
  };
  try {
    for (const process of processes) process.start();
    const instances = await Promise.all(
      processes.map(async (process): Promise<BffInstance> => {
        const line = await process.waitForLine((l) => l.json?.msg === 'listening', { timeoutMs: 90_000, description: 'the listening log line' });
        const url = line.json?.url;
        if (typeof url !== 'string') throw new Error(`${process.spec.name}: listening line without a url`);
        return { name: process.spec.name, url, process, client: new ContractClient(url) };
      }),
    );
    return { instances, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
