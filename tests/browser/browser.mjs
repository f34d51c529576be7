// Headless Chromium for the browser suites: the machine's own build (scripts/lib.sh
// ensure_chromium), driven by playwright-core, which downloads no browser of its own.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const dist = `${root}/www/dist`;
const screenshots = `${root}/target/screenshots`;

export async function launch() {
  if (!existsSync(`${dist}/index.html`)) throw new Error(`${dist} is missing: build the site first (npm run build -w www)`);
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    headless: true,
    // Root in a container has no user namespaces for Chromium's sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/**
 * A page that fails the test on any uncaught error or console error, collected in `errors`:
 * `assertClean()` checks there were none.
 */
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { page, context, errors };
}

export async function screenshot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  const path = `${screenshots}/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}
