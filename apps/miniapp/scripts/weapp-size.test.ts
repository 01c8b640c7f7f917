import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { measureWeappMainPackage } from './weapp-size';

it('counts uploaded files only, largest first', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'weapp-size-'));
  mkdirSync(path.join(dir, 'pages/a'), { recursive: true });
  writeFileSync(path.join(dir, 'app.js'), 'x'.repeat(300));
  writeFileSync(path.join(dir, 'pages/a/index.wxml'), 'x'.repeat(100));
  writeFileSync(path.join(dir, 'app.js.LICENSE.txt'), 'x'.repeat(5000));
  writeFileSync(path.join(dir, 'app.js.map'), 'x'.repeat(5000));
  writeFileSync(path.join(dir, 'project.config.json'), 'x'.repeat(5000));
  const size = measureWeappMainPackage(dir);
  expect(size.totalBytes).toBe(400);
  expect(size.files).toEqual([
    { file: 'app.js', bytes: 300 },
    { file: path.join('pages/a/index.wxml'), bytes: 100 },
  ]);
  rmSync(dir, { recursive: true, force: true });
});

it('leaves out the subpackages app.json declares (downloaded on first visit)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'weapp-size-'));
  mkdirSync(path.join(dir, 'subpackages/order'), { recursive: true });
  writeFileSync(path.join(dir, 'app.json'), JSON.stringify({ pages: ['pages/a/index'], subPackages: [{ root: 'subpackages/order', pages: ['index'] }] }));
  writeFileSync(path.join(dir, 'subpackages/order/index.js'), 'x'.repeat(9000));
  writeFileSync(path.join(dir, 'app.js'), 'x'.repeat(300));
  const size = measureWeappMainPackage(dir);
  expect(size.files.map((file) => file.file).sort()).toEqual(['app.js', 'app.json']);
  rmSync(dir, { recursive: true, force: true });
});
