// Runs the real compiled weapp output (dist/weapp) inside miniprogram-simulate: the WXML is
// compiled by WeChat's official wcc (npm miniprogram-compiler), the JS is Taro's production
// bundle. We provide what the WeChat base library would: App/getApp/getCurrentPages, Page (mapped
// onto Component, which is all simulate knows), and a `wx` object built by the test.
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export const weappDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/weapp');

export interface SimulateComponent {
  dom: HTMLElement;
  instance: Record<string, unknown> & { data: Record<string, unknown> };
  attach(parent: Element): void;
  detach(): void;
  querySelector(selector: string): SimulateComponent | undefined;
  querySelectorAll(selector: string): SimulateComponent[];
  dispatchEvent(name: string, options?: { detail?: unknown }): void;
}

interface Simulate {
  load(componentPath: string, options?: { rootPath?: string; compiler?: string }): string;
  render(id: string, properties?: Record<string, unknown>): SimulateComponent;
  sleep(ms: number): Promise<void>;
}

type Options = Record<string, unknown>;
type Global = Record<string, unknown>;

export interface WeappRuntime {
  /** Loads and attaches a page as WeChat would open it with this query. */
  openPage(route: string, query?: Record<string, string>): Promise<SimulateComponent>;
}

let loaded: WeappRuntime | null = null;

/** Boots app.js once per test file (Taro keeps one app per process). */
export function bootWeapp(wx: object): WeappRuntime {
  if (loaded) return loaded;
  if (!existsSync(path.join(weappDist, 'app.js'))) {
    throw new Error(`${weappDist}/app.js is missing: run \`pnpm --filter @checkout/miniapp build\` before the simulate tests`);
  }
  // The bundle is CommonJS for WeChat, but this package is "type": "module": tell Node (dist/ is
  // outside the mini-program root, so nothing extra is uploaded).
  writeFileSync(path.join(weappDist, '..', 'package.json'), '{ "type": "commonjs" }\n');
  const g = globalThis as Global;
  g.wx = wx;
  const simulate = require('miniprogram-simulate') as Simulate;
  const pages: object[] = [];
  let app: Options | null = null;
  let nextPage: { route: string; query: Record<string, string> } | null = null;
  const pageIds = new Map<string, string>();

  g.App = (options: Options) => {
    app = options;
  };
  g.getApp = () => app;
  g.getCurrentPages = () => pages;
  g.Page = (options: Options) => {
    const { data, ...rest } = options;
    const methods: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) if (typeof value === 'function') methods[key] = value;
    (g.Component as (definition: object) => void)({
      data,
      methods,
      lifetimes: {
        attached(this: Options & { onLoad?: (query: object) => void; onShow?: () => void }) {
          const opening = nextPage;
          if (!opening) throw new Error('page attached outside openPage');
          // What the base library sets on a page instance before onLoad.
          this.route = opening.route;
          this.__route__ = opening.route;
          pages.push(this);
          this.onLoad?.({ ...opening.query });
          this.onShow?.();
        },
        ready(this: { onReady?: () => void }) {
          this.onReady?.();
        },
        detached(this: object & { onUnload?: () => void }) {
          this.onUnload?.();
          pages.splice(pages.indexOf(this), 1);
        },
      },
    });
  };

  require(path.join(weappDist, 'app.js'));
  const launched = app as Options | null;
  if (!launched) throw new Error('dist/weapp/app.js did not call App()');
  (launched.onLaunch as ((options: object) => void) | undefined)?.call(launched, { path: 'pages/catalog/index', query: {}, scene: 1001 });
  (launched.onShow as ((options: object) => void) | undefined)?.call(launched, { path: 'pages/catalog/index', query: {}, scene: 1001 });

  loaded = {
    async openPage(route, query = {}) {
      nextPage = { route, query };
      // A page's bundle registers once (webpack will not re-run an installed chunk), so each
      // route is loaded once and rendered as often as it is opened.
      let id = pageIds.get(route);
      if (id === undefined) {
        id = simulate.load(path.join(weappDist, route), { rootPath: weappDist });
        pageIds.set(route, id);
      }
      const page = simulate.render(id);
      const parent = document.createElement('parent-wrapper');
      document.body.appendChild(parent);
      page.attach(parent);
      nextPage = null;
      // Taro renders through an async setData.
      await simulate.sleep(200);
      return page;
    },
  };
  return loaded;
}

/**
 * Taps the element whose text is exactly `text` (inside the smallest element that also contains
 * `within`, when given), the way WeChat dispatches a tap to Taro.
 */
export function tap(page: SimulateComponent, text: string, within?: string): void {
  let scope: HTMLElement = page.dom;
  if (within !== undefined) {
    const containers = [...page.dom.querySelectorAll<HTMLElement>('[data-sid]')].filter(
      (candidate) => candidate.textContent?.includes(within) && [...candidate.querySelectorAll('[data-sid]')].some((inner) => inner.textContent === text),
    );
    const smallest = containers.sort((a, b) => (a.textContent?.length ?? 0) - (b.textContent?.length ?? 0))[0];
    if (!smallest) throw new Error(`no element containing "${within}" and "${text}"`);
    scope = smallest;
  }
  const element = [...scope.querySelectorAll<HTMLElement>('[data-sid]')].find((candidate) => candidate.textContent === text);
  const sid = element?.getAttribute('data-sid');
  const target = sid ? page.querySelector(`#${sid}`) : undefined;
  if (!target) throw new Error(`nothing to tap with text "${text}" in: ${page.dom.textContent ?? ''}`);
  target.dispatchEvent('tap');
}

/** Waits until the page's text satisfies `predicate` (Taro updates the view asynchronously). */
export async function waitForText(page: SimulateComponent, predicate: (text: string) => boolean, attempts = 400): Promise<string> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const text = page.dom.textContent ?? '';
    if (predicate(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`page text never matched; last text: ${page.dom.textContent ?? ''}`);
}

/**
 * Sends a component event (e.g. a picker's `change`) to the `index`-th element with this tag, with
 * the detail WeChat would send.
 */
export function fire(page: SimulateComponent, tag: string, index: number, name: string, detail: unknown): void {
  const element = [...page.dom.querySelectorAll<HTMLElement>(`wx-${tag}`)][index];
  const sid = element?.getAttribute('id') ?? element?.getAttribute('data-sid');
  const target = sid ? page.querySelector(`#${sid}`) : undefined;
  if (!target) throw new Error(`no <${tag}> #${index} on the page: ${page.dom.innerHTML.slice(0, 500)}`);
  target.dispatchEvent(name, { detail });
}
