import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (playwright's own browser download cannot work here). */
export function chromiumPath(env: Readonly<Record<string, string | undefined>>): string {
  const candidate = env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(candidate)) {
    throw new Error(
      `Chromium not found at ${candidate}. Install it with \`apt-get install -y chromium fonts-noto-cjk\` ` +
        'or point CHROMIUM_PATH at a Chromium/Chrome binary.',
    );
  }
  return candidate;
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
