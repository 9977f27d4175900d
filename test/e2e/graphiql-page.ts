import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Debian Chromium. The background-networking flags keep it from
 * calling home (there is no network here but the loopback).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it with ` +
        '`apt-get install -y --no-install-recommends chromium fonts-liberation` (or set CHROMIUM_PATH)',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Keeps the page on this machine: loopback requests pass, everything else is
 * refused and recorded, so a page that needs the internet (a CDN) fails here.
 */
export async function keepPageOffline(page: Page): Promise<{ refused: string[] }> {
  const refused: string[] = [];
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.protocol === 'blob:' || url.protocol === 'data:') {
      return route.continue();
    }
    refused.push(url.toString());
    return route.abort('blockedbyclient');
  });
  return { refused };
}
