import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

// The published shape of @checkout/protocol: one output file per source file (so /testing and
// /wxpay share one WxPayError class), as ESM (.js + .d.ts) and CommonJS (.cjs + .d.cts).
// Sources use extensionless relative imports (moduleResolution Bundler); every relative
// specifier is rewritten to the output file it names, with the extension node requires.
const root = join(import.meta.dirname, '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
const typesOut = join(dist, '.types');

type Format = 'esm' | 'cjs';
const jsExtension: Record<Format, string> = { esm: '.js', cjs: '.cjs' };
const dtsExtension: Record<Format, string> = { esm: '.d.ts', cjs: '.d.cts' };

/** `./errors` from `fromDir` → `./errors` or `./errors/index` (the source module it names), or null when it names no .ts file. */
function moduleOf(fromDir: string, specifier: string): string | null {
  const target = resolve(fromDir, specifier);
  if (existsSync(`${target}.ts`)) return specifier;
  if (existsSync(join(target, 'index.ts'))) return `${specifier}/index`;
  return null;
}

function relativeImports(format: Format): Plugin {
  return {
    name: 'relative-imports',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind === 'entry-point' || !args.importer.startsWith(src)) return undefined;
        const module = moduleOf(args.resolveDir, args.path);
        // Anything else (official-vectors.json) is inlined into the importing file.
        return module === null ? undefined : { path: `${module}${jsExtension[format]}`, external: true };
      });
    },
  };
}

function rewriteDeclaration(text: string, fromDir: string, format: Format): string {
  return text.replace(/(\bfrom\s+|\bimport\s*\(\s*)(['"])(\.\.?\/[^'"]+)\2/g, (whole, lead: string, quote: string, specifier: string) => {
    const module = moduleOf(fromDir, specifier);
    if (module === null) throw new Error(`declaration import ${specifier} names no source module`);
    return `${lead}${quote}${module}${jsExtension[format]}${quote}`;
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

rmSync(dist, { recursive: true, force: true });

// Declarations first: tsc also decides which source files are public (those the three index files reach).
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
const declarations = listFiles(typesOut).filter((file) => file.endsWith('.d.ts'));
const sources = declarations.map((file) => join(src, relative(typesOut, file).replace(/\.d\.ts$/, '.ts')));

for (const format of ['esm', 'cjs'] as const) {
  await build({
    entryPoints: sources,
    outbase: src,
    outdir: dist,
    outExtension: { '.js': jsExtension[format] },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format,
    target: 'node20.19',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [relativeImports(format)],
    ...(format === 'cjs' ? { define: { 'import.meta.url': 'importMetaUrl' }, inject: [join(import.meta.dirname, 'import-meta-url-shim.ts')] } : {}),
  });
  for (const file of declarations) {
    const sourceDir = dirname(join(src, relative(typesOut, file)));
    const out = join(dist, relative(typesOut, file)).replace(/\.d\.ts$/, dtsExtension[format]);
    writeFileSync(out, rewriteDeclaration(readFileSync(file, 'utf8'), sourceDir, format));
  }
}
rmSync(typesOut, { recursive: true, force: true });
cpSync(join(src, 'testing/keys'), join(dist, 'testing/keys'), { recursive: true, filter: (path) => !path.endsWith('.md') });
