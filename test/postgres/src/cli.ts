// Starts a throwaway PostgreSQL, prints DATABASE_URL=… on stdout, stops it on SIGTERM/SIGINT.
//   tsx src/cli.ts [--port N] [--database NAME]
import { parseArgs } from 'node:util';
import { PostgresHarnessError, startPostgres } from '@checkout/postgres-server';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, database: { type: 'string', default: 'checkout' } },
});

try {
  const postgres = await startPostgres({ port: Number(values.port), database: values.database });
  // The server child is unref'd; this timer keeps the CLI alive until a signal arrives.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const shutdown = (signal: NodeJS.Signals): void => {
    process.stderr.write(`${signal}: stopping PostgreSQL\n`);
    void postgres.stop().then(() => {
      clearInterval(keepAlive);
      process.stderr.write('PostgreSQL stopped\n');
    });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  process.stdout.write(`DATABASE_URL=${postgres.url}\n`);
} catch (error) {
  const message = error instanceof PostgresHarnessError ? `${error.code}: ${error.message}` : String(error);
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
}
