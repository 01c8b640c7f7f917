// The real H5 build (dist/h5) in headless Chromium, served by scripts/h5-server.ts in front of a
// real BFF and WeChat Pay emulator: buy at the emulator's cashier, cancel at it, see the history.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { listenH5Server, type RunningH5Server } from '../../scripts/h5-server';
import { chromiumPath, launchChromium } from './chromium';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const h5Dist = path.join(appDir, 'dist/h5');
const outputDir = path.join(appDir, 'test-output');

let server: RunningH5Server;
let browser: Browser;
let page: Page;
/** Errors the app printed or threw (e.g. a React/DOM renderer NotFoundError): each test expects none. */
const pageErrors: string[] = [];

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

/** Province → city (→ district) in the H5 region picker, by name. */
async function pickRegion(label: string, names: string[]) {
  await page.getByRole('button', { name: label }).click();
  const panel = page.getByTestId(`region-panel-${label}`);
  for (const name of names) await panel.locator('.region-picker__options .chip', { hasText: new RegExp(`^${name}$`) }).click();
  await panel.waitFor({ state: 'detached' });
}

/** From the cart: submit and arrive at the emulator's cashier. */
async function submitToCashier() {
  await page.getByText('提交订单并支付').click();
  await page.waitForURL(/\/cashier\?/);
  await page.getByTestId('pay').waitFor();
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
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console.error: ${message.text()}`);
  });
});

afterEach(() => {
  const seen = pageErrors.splice(0);
  expect(seen).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('H5 checkout in Chromium', () => {
  it('adds to cart, checks out, pays at the cashier, sees 支付成功 and the order in history', async () => {
    await page.goto(server.url);
    await page.getByText('电热水壶 1.7L').waitFor();
    // Every card's picture came from the BFF (through the proxy, like the API) and decoded.
    const cards = page.locator('[data-testid^="product-"]');
    const decodedWidths = () => cards.locator('img').evaluateAll((images: HTMLImageElement[]) => images.map((image) => (image.complete ? image.naturalWidth : 0)));
    await expect.poll(async () => (await decodedWidths()).filter((width) => width > 0).length).toBe(await cards.count());
    expect(await page.locator('[data-testid="product-kettle"] img').evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
    await shot('01-catalog');

    await addToCartAndOpen('电热水壶 1.7L');
    await page.getByText('去结算').click();
    await page.getByText('提交订单并支付').waitFor();
    await expect.poll(() => page.getByTestId('payable').textContent(), { timeout: 15_000 }).toBe('¥89.00');
    expect(await page.locator('.cart-line__total').textContent()).toBe('¥89.00');
    await page.getByLabel('增加电热水壶 1.7L数量').click();
    // Line total and payable amount are the BFF's quote for two.
    await expect.poll(() => page.getByTestId('payable').textContent()).toBe('¥178.00');
    expect(await page.locator('.cart-line__total').textContent()).toBe('¥178.00');
    await page.getByLabel('减少电热水壶 1.7L数量').click();
    await expect.poll(() => page.getByTestId('payable').textContent()).toBe('¥89.00');
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
    // 查看订单 opens this order, with a title bar and its status pill.
    await page.getByText('查看订单').click();
    await page.waitForURL(/\/subpackages\/order\/index\?orderId=/);
    expect(new URL(page.url()).searchParams.get('orderId')).toBe(orderId);
    await page.locator('.page-header__title', { hasText: '订单详情' }).waitFor();
    await expect.poll(() => page.title()).toBe('订单详情');
    const pill = page.locator('.order-head .tag');
    expect(await pill.textContent()).toBe('已支付');
    const [pillBox, headBox] = [await pill.boundingBox(), await page.locator('.order-head').boundingBox()];
    expect(pillBox && headBox && pillBox.width < headBox.width / 2).toBe(true);
    await shot('05-order-detail');

    await page.goto(`${server.url}/subpackages/orders/index`);
    const row = page.locator(`[data-testid="order-${orderId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('已支付');
    expect(await row.textContent()).toContain('电热水壶 1.7L × 1');
    await shot('05-orders');
    await page.locator('.page-header__title', { hasText: '我的订单' }).waitFor();
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

    // 取消订单 asks first: 再想想 keeps the order payable, 取消订单 in the dialog cancels it.
    await page.locator('.actions').getByText('取消订单', { exact: true }).click();
    const dialog = page.locator('.taro__modal');
    await dialog.getByText('取消后订单将在几分钟内关闭', { exact: false }).waitFor();
    await shot('06b-cancel-confirm');
    await dialog.getByText('再想想').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByText('重新支付', { exact: true }).count()).toBe(1);
    await page.locator('.actions').getByText('取消订单', { exact: true }).click();
    await dialog.locator('.taro-model__confirm').click();
    await page.getByText('正在取消').waitFor();
    expect(await page.getByText('重新支付', { exact: true }).count()).toBe(0);
    await shot('06c-cancelling');
  });

  it('a failed payment (模拟失败) offers 重新下单: the same items in a new order, paid', async () => {
    await addToCartAndOpen('电热水壶 1.7L');
    await page.getByText('去结算').click();
    await submitToCashier();
    await page.getByTestId('fail').click();
    await page.waitForURL(/\/subpackages\/result\/index\?.*errMsg=requestPayment%3Afail/);
    // The BFF learns of the PAYERROR from orderquery; the page asks again until it does.
    await page.getByText('重新下单', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByText('支付失败').waitFor();
    expect(await page.getByText('重新支付', { exact: true }).count()).toBe(0);
    await shot('09-failed');
    const failedId = new URL(page.url()).searchParams.get('orderId');

    await page.getByText('重新下单', { exact: true }).click();
    await page.waitForURL(/\/pages\/cart\/index/);
    await page.locator('[data-testid^="cart-line-"]', { hasText: '电热水壶 1.7L' }).waitFor();
    await expect.poll(() => page.getByTestId('payable').textContent()).toBe('¥89.00');
    await shot('10-reorder-cart');
    await submitToCashier();
    await page.getByTestId('pay').click();
    await page.getByText('支付成功').waitFor();
    expect(new URL(page.url()).searchParams.get('orderId')).not.toBe(failedId);
  });

  it('back from the cashier: the empty cart shows the waiting order with 去支付', async () => {
    await addToCartAndOpen('净水滤芯套装');
    await page.getByText('去结算').click();
    await submitToCashier();
    await page.goBack();
    await page.waitForURL(/\/pages\/cart\/index/);
    const pending = page.getByTestId('pending-order');
    await pending.waitFor();
    expect(await pending.textContent()).toContain('净水滤芯套装 × 1');
    await page.getByText('购物车是空的').waitFor();
    await shot('11-back-from-cashier');
    await pending.getByText('去支付').click();
    await page.waitForURL(/\/cashier\?/);
    await page.getByTestId('pay').click();
    await page.getByText('支付成功').waitFor();
  });

  it('the disabled 去结算 of an empty cart stays on the catalog', async () => {
    await page.goto(server.url);
    await page.evaluate(() => localStorage.clear());
    await page.goto(server.url);
    await page.getByText('购物车是空的').waitFor();
    await page.getByText('去结算').click({ force: true });
    await page.getByText('电热水壶 1.7L').waitFor();
    expect(new URL(page.url()).pathname).not.toContain('/pages/cart');
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
    await field('idCardNumber').fill('');
    await page.getByText('提交订单并支付').click();
    await page.getByText('请输入证件号码').waitFor();
    await page.getByText('请选择收货地区').waitFor();
    await field('idCardNumber').fill('1101051949');
    await page.getByText('提交订单并支付').click();
    await page.getByText('身份证号码应为 18 位，当前 10 位').waitFor();
    await field('idCardNumber').fill('11010519491231002X');
    await pickRegion('收货地区', ['广东省', '深圳市', '南山区']);
    await pickRegion('补贴资格所在城市', ['广东省', '深圳市']);
    await page.getByText('广东省 深圳市 南山区').waitFor();
    // The BFF's quote, before paying: FIRST_LEVEL 20 % of ¥4299.00.
    await expect.poll(() => page.getByTestId('payable').textContent()).toBe('¥3439.20');
    expect(await page.getByTestId('quote').textContent()).toContain('国家补贴-¥859.80');
    await shot('07-subsidy-form');

    await submitToCashier();
    expect(await page.getByTestId('amount').textContent()).toBe('¥3439.20');
    expect(await page.getByTestId('state').textContent()).toContain('待支付');
    await page.getByTestId('pay').click();
    await page.getByText('支付成功').waitFor();
    await page.getByText('国家补贴').waitFor();
    const payable = await page.locator('.summary__line--total').textContent();
    expect(payable).toMatch(/实付金额¥\d+\.\d{2}/);
    expect(payable).toBe('实付金额¥3439.20');
    await shot('08-subsidy-paid');
  });
});
