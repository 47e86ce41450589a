// Finds and launches Debian's Chromium headless, with the flags this offline machine needs.
import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';

export const chromiumPath = process.env.CHROME_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export function launchChromium(options = {}) {
  if (!chromiumPath) throw new Error('Chromium not found: apt-get install -y chromium, or set CHROME_PATH.');
  return puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs, ...options });
}
