import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The protocol package ships TypeScript source: Taro must compile it like our own code.
const protocolSrc = path.resolve(appRoot, '../../packages/protocol/src');
// The contract imports `zod` but uses only the functional API zod/mini shares (its zod-mini.test.ts
// guards that): bundle zod/mini, tree-shakable, instead of zod classic (~100 KiB of the main package).
const alias = { zod$: 'zod/mini' };
// zod ships ES2020 (?. and ??): compile it with our babel targets like our own code, so the weapp
// does not depend on WeChat's upload-time ES6 transform for it.
const zodDir = path.dirname(createRequire(import.meta.url).resolve('zod/package.json'));
// webpackbar redraws its bar thousands of times into a non-TTY log (CI, `pnpm start`): quiet
// prints one line per build; errors and warnings are still printed by Taro's own reporter.
const quiet = Boolean(process.env.CI) || !process.stdout.isTTY;

// Taro requires a default export from its config file.
export default defineConfig<'webpack5'>(() => {
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'checkout-miniapp',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV ?? 'weapp'}`,
    plugins: [],
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    alias,
    logger: { quiet, stats: false },
    // WeChat has no template recursion: Taro unrolls every used component once per level into
    // base.wxml (16 levels by default, ~57 KiB). Deeper trees continue through the `comp` custom
    // component, so fewer levels only costs an extra component boundary on rare deep nodes.
    baseLevel: 8,
    mini: {
      compile: { include: [protocolSrc, zodDir] },
      postcss: { pxtransform: { enable: true, config: {} }, cssModules: { enable: false } },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'browser' },
      compile: { include: [protocolSrc] },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[contenthash].css', chunkFilename: 'css/[name].[contenthash].css' },
      postcss: { autoprefixer: { enable: true, config: {} }, cssModules: { enable: false } },
    },
  };
  return config;
});
