// The real H5 build (dist/h5) in headless Chromium, served by scripts/h5-server.ts in front of a
// real BFF and WeChat Pay emulator: buy at the emulator's cashier, cancel at it, see the history.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { listenH5Server, type RunningH5Server } from '../../scripts/h5-server';
import { chromiumPath, launchChromium } from './chromium';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const h5Dist = path.join(appDir, 'dist/h5');
const outputDir = path.join(appDir, 'test-output');

let server: RunningH5Server;
let browser: Browser;
let page: Page;

/** Taro H5 slides pages in; screenshot once the visible page has arrived. */
async function settle() {
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.taro_page'))
      .filter((element) => getComputedStyle(element).display !== 'none')
      .every((element) => Math.abs(element.getBoundingClientRect().left) < 1),
  );
}

async function shot(name: string) {
  if (new URL(page.url()).pathname !== '/cashier') await settle();
  await page.screenshot({ path: path.join(outputDir, `${name}.png`), fullPage: true });
}

/** The native input inside Taro's H5 <taro-input-core name=…>. */
const field = (name: string) => page.locator(`input[name="${name}"]`);

/** Adds one unit of the product from the catalog and opens the cart. */
async function addToCartAndOpen(productName: string) {
  await page.goto(server.url);
  const card = page.locator('[data-testid^="product-"]', { hasText: productName });
  await card.getByText('加入购物车', { exact: false }).click();
  await expect.poll(() => page.getByText(/购物车共 \d+ 件/).count(), { timeout: 15_000 }).toBe(1);
}

beforeAll(async () => {
  if (!existsSync(path.join(h5Dist, 'index.html'))) {
    throw new Error(`${h5Dist}/index.html is missing: run \`pnpm --filter @checkout/miniapp build\` before the e2e test`);
  }
  const executablePath = chromiumPath(process.env);
  mkdirSync(outputDir, { recursive: true });
  server = await listenH5Server({ root: h5Dist, bffUrl: inject('bffUrl'), emulatorUrl: inject('emulatorUrl') }, 0, '127.0.0.1');
  browser = await launchChromium(executablePath);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('H5 checkout in Chromium', () => {
  it('adds to cart, checks out, pays at the cashier, sees 支付成功 and the order in history', async () => {
    await page.goto(server.url);
    await page.getByText('电热水壶 1.7L').waitFor();
    await shot('01-catalog');

    await addToCartAndOpen('电热水壶 1.7L');
    await page.getByText('去结算').click();
    await page.getByText('提交订单并支付').waitFor();
    await expect.poll(() => page.getByText('¥89.00').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await shot('02-cart');

    await page.getByText('提交订单并支付').click();
    await page.waitForURL(/\/cashier\?/);
    await page.getByTestId('pay').waitFor();
    await shot('03-cashier');

    await page.getByTestId('pay').click();
    await page.waitForURL(/\/subpackages\/result\/index\?.*errMsg=requestPayment%3Aok/);
    await page.getByText('支付成功').waitFor();
    await shot('04-paid');

    const orderId = new URL(page.url()).searchParams.get('orderId');
    expect(orderId).toBeTruthy();
    await page.getByText('查看订单').click();
    const row = page.locator(`[data-testid="order-${orderId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('已支付');
    expect(await row.textContent()).toContain('电热水壶 1.7L × 1');
    await shot('05-orders');
  });

  it('cancel at the cashier comes back as 已取消支付 and the order stays payable', async () => {
    await addToCartAndOpen('净水滤芯套装');
    await page.getByText('去结算').click();
    await page.getByText('提交订单并支付').click();
    await page.waitForURL(/\/cashier\?/);
    await page.getByTestId('cancel').click();
    await page.waitForURL(/\/subpackages\/result\/index\?.*errMsg=requestPayment%3Afail/);
    await page.getByText('已取消支付').waitFor();
    expect(await page.getByText('重新支付', { exact: true }).count()).toBe(1);
    await shot('06-cancelled');
  });

  it('claims the national subsidy with the buyer form and pays the discounted amount', async () => {
    await addToCartAndOpen('十字对开门冰箱 510L');
    await page.getByText('去结算').click();
    await page.getByText('申请国家补贴（以旧换新）').waitFor();
    await page.locator('taro-switch-core').click();
    await field('realName').fill('张三');
    await field('idCardNumber').fill('11010519491231002X');
    await field('phoneNumber').fill('1380013');
    await page.getByText('提交订单并支付').click();
    await page.getByText('手机号须为 11 位数字').waitFor();
    await field('phoneNumber').fill('13800138000');
    await field('receiveRegionCode').fill('440305');
    await field('qualificationRegionCode').fill('440300');
    await shot('07-subsidy-form');

    await page.getByText('提交订单并支付').click();
    await page.waitForURL(/\/cashier\?/);
    await page.getByTestId('pay').click();
    await page.getByText('支付成功').waitFor();
    await page.getByText('国家补贴').waitFor();
    const payable = await page.locator('.summary__line--total').textContent();
    expect(payable).toMatch(/实付金额¥\d+\.\d{2}/);
    expect(payable).not.toContain('¥4299.00');
    await shot('08-subsidy-paid');
  });
});
