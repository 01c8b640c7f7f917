import { builtinModules } from 'node:module';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';

export interface BundleAppOptions {
  /** The app's package directory (holds package.json; dist/ is written here). */
  appDir: string;
  /** Entry file relative to appDir, e.g. src/main.ts → dist/main.js. */
  entry: string;
  /** Output directory relative to appDir (default dist). */
  outdir?: string;
  /** Directories copied into dist/ as they are: files a bundled module reads next to itself. */
  copy?: readonly { from: string; to: string }[];
}

const workspaceScope = '@checkout/';

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/**
 * Workspace packages (TypeScript source) are inlined; every other package stays an import that
 * node resolves from the app's node_modules at run time. An import of a package the app does
 * not list in its dependencies fails the build: in production only `dependencies` are installed.
 */
function externalPackages(dependencies: ReadonlySet<string>): Plugin {
  return {
    name: 'external-packages',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (args.path.startsWith('node:') || builtinModules.includes(args.path)) return { path: args.path, external: true };
        const name = packageName(args.path);
        if (name.startsWith(workspaceScope)) return undefined;
        if (!dependencies.has(name)) return { errors: [{ text: `${name} is imported by ${args.importer} but is not in the app's dependencies` }] };
        return { path: args.path, external: true };
      });
    },
  };
}

/** Builds one server program to plain ESM JavaScript with a source map (<outdir>/<entry name>.js). */
export async function bundleApp(options: BundleAppOptions): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(options.appDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const outdir = join(options.appDir, options.outdir ?? 'dist');
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: options.appDir,
    entryPoints: [options.entry],
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    sourcemap: true,
    // No __name wrappers: function names stay as written, nothing is added to hot paths.
    keepNames: false,
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [externalPackages(new Set(Object.keys(manifest.dependencies ?? {})))],
  });
  for (const { from, to } of options.copy ?? []) cpSync(from, join(outdir, to), { recursive: true });
}
