import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '@checkout/test-harness';

export interface BenchServer {
  process: ManagedProcess;
  url: string;
  stop(): Promise<void>;
}

/** One of the bench's own servers (src/<entry>.ts) as a process, started like the BFF; resolves once it listens. */
export async function startBenchServer(name: string, entry: string, env: Readonly<Record<string, string>> = {}): Promise<BenchServer> {
  const process = new ManagedProcess({
    name,
    entry: fileURLToPath(new URL(`./${entry}.ts`, import.meta.url)),
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { PORT: '0', NODE_ENV: 'production', ...env },
  });
  process.start();
  try {
    const line = await process.waitForLine((l) => l.json?.msg === 'listening', { timeoutMs: 30_000, description: `${name} listening` });
    return {
      process,
      url: String(line.json?.url),
      stop: async () => {
        await process.stop(5_000);
      },
    };
  } catch (error) {
    await process.stop(5_000);
    throw error;
  }
}
