// The Content-Security-Policy in Chromium (docs/security.md, "Scripts need this response's
// nonce"): each page hydrates under a policy that allows no inline script without its response's
// nonce, and the browser reports no violation on any of them. Script planted by injected markup
// does not run.
import { expect, test } from '@playwright/test';

const APP_URL = process.env.APP_URL!;

/** Collects what Chromium says when the policy refuses something. */
function violationsOf(page: import('@playwright/test').Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

for (const path of ['/', '/console', '/puzzles', '/console/sc-flip-h', '/steer', '/settings']) {
  test(`${path} loads with no CSP violation`, async ({ page }) => {
    const violations = violationsOf(page);
    await page.goto(`${APP_URL}${path}`, { waitUntil: 'networkidle' });
    expect(violations).toEqual([]);
  });
}

test('markup injected into the page cannot run script: an inline event handler is refused', async ({ page }) => {
  const violations = violationsOf(page);
  await page.goto(`${APP_URL}/console`, { waitUntil: 'networkidle' });
  // What an HTML injection plants: a handler attribute. 'unsafe-inline' (the old policy) ran it.
  await page.evaluate(() => {
    document.body.insertAdjacentHTML('beforeend', `<img data-testid="injected" src="/no-such-image.png" onerror="document.body.dataset.injected = 'ran'">`);
  });
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  await expect(page.locator('body')).not.toHaveAttribute('data-injected', 'ran');
});
