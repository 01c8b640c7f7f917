import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const packageDir = join(import.meta.dirname, '..');

/** Linted as the content of an existing file (type-aware lint only parses files of the project). */
async function restrictedImports(file: string, source: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: packageDir });
  const [result] = await eslint.lintText(source, { filePath: join(packageDir, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint keeps the domain free of drivers, HTTP and adapters', () => {
  it.each([
    ["import Koa from 'koa';", 'koa'],
    ["import { Kysely } from 'kysely';", 'kysely'],
    ["import pg from 'pg';", 'pg'],
    ["import Database from 'better-sqlite3';", 'better-sqlite3'],
    ["import { request } from 'node:http';", 'node:http'],
    ["import { KyselyOrderRepository } from '../../adapters/kysely-order-repository';", 'an adapter'],
  ])('%s in domain/ fails lint (%s)', async (line) => {
    expect(await restrictedImports('src/domain/orders/order-lifecycle.ts', `${line}\n`)).toHaveLength(1);
  });

  it.each(['src/http/create-app.ts', 'src/outbox/outbox-worker.ts', 'src/composition/start-bff.ts'])('a database driver outside db/ and adapters/ fails lint (%s)', async (file) => {
    expect(await restrictedImports(file, "import pg from 'pg';\n")).toHaveLength(1);
    expect(await restrictedImports(file, "import Database from 'better-sqlite3';\n")).toHaveLength(1);
  });

  it.each(['src/http/create-app.ts', 'src/adapters/system-clock.ts', 'src/domain/orders/order-lifecycle.ts'])('test keys and the emulator stay out of production code (%s)', async (file) => {
    expect(await restrictedImports(file, "import { devMerchant } from '@checkout/protocol/testing';\n")).toHaveLength(1);
    expect(await restrictedImports(file, "import { createEmulator } from '@checkout/wxpay-emulator';\n")).toHaveLength(1);
  });

  it('the domain rule and the storage rule both hold in the domain', async () => {
    expect(await restrictedImports('src/domain/orders/order-lifecycle.ts', "import pg from 'pg';\nimport { devMerchant } from '@checkout/protocol/testing';\n")).toHaveLength(2);
  });

  it('the same import is allowed in an adapter', async () => {
    expect(await restrictedImports('src/adapters/system-clock.ts', "import { Kysely } from 'kysely';\n")).toEqual([]);
  });
});
