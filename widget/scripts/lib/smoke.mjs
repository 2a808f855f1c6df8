// The smoke run behind `npm run smoke`: headless Chromium through the widget's flows on the
// dev servers — open, screenshot (masked), annotate, submit, success; axe; Escape and
// focus; strict CSP; the offline queue; sign-in; sender fields and errors in French.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { FAKE_SESSION, TOKEN } from './fake-snagdesk.mjs';
import { CHROMIUM } from './servers.mjs';

const MASK_RGB = [0x1d, 0x23, 0x30];

let failures = 0;
async function step(name, fn) {
  try {
    await fn();
    console.log(`ok    ${name}`);
  } catch (error) {
    failures += 1;
    console.log(`FAIL  ${name}\n      ${String(error.message).split('\n').join('\n      ')}`);
  }
}

const widget = (page) => page.locator('snagdesk-widget');
const shadowFocus = (page) =>
  page.evaluate(() => {
    const active = document.querySelector('snagdesk-widget').shadowRoot.activeElement;
    return active && (active.id || active.className || active.tagName);
  });

async function openPage(context, hostOrigin, query = '') {
  const page = await context.newPage();
  const violations = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/.test(msg.text())) violations.push(msg.text());
  });
  await page.goto(`${hostOrigin}/${query}`);
  // The checkout form (masked fields) and the cross-origin content in view.
  await page.evaluate(() => document.querySelector('#checkout').scrollIntoView());
  await widget(page).locator('.trigger').waitFor();
  return { page, violations };
}

async function fillAndSend(page, subject, message) {
  await widget(page).locator('#sd-subject').fill(subject);
  await widget(page).locator('#sd-message').fill(message);
  await widget(page).locator('button[type=submit]').click();
}

// Pixels of a PNG data URL at points, read in a page without CSP.
async function pixelsAt(context, dataUrl, points) {
  const page = await context.newPage();
  const result = await page.evaluate(
    async ([src, pts]) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const canvas = Object.assign(document.createElement('canvas'), {
        width: img.width,
        height: img.height,
      });
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      return pts.map(([x, y]) => [...ctx.getImageData(x, y, 1, 1).data.slice(0, 3)]);
    },
    [dataUrl, points],
  );
  await page.close();
  return result;
}

async function reportWithScreenshot(context, { hostOrigin, fake }) {
  const { page } = await openPage(context, hostOrigin);
  const masked = await page.evaluate(() =>
    ['#pw', '#cc', '.iban'].map((selector) => {
      const r = document.querySelector(selector).getBoundingClientRect();
      return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
    }),
  );
  await page.evaluate(() =>
    window.Snagdesk.on('submitted', (result) => {
      window.submitted = result;
    }),
  );

  await step('the trigger opens a modal dialog with focus on the subject', async () => {
    await widget(page).locator('.trigger').hover();
    await widget(page).locator('.trigger').click();
    await widget(page).getByRole('dialog', { name: 'Report a problem' }).waitFor();
    assert.equal(await shadowFocus(page), 'sd-subject');
  });
  await step('a screenshot is taken and previewed', async () => {
    await widget(page)
      .locator('p.muted', { hasText: 'Screenshot ready.' })
      .waitFor({ timeout: 20000 });
    assert.ok(await widget(page).getByRole('img', { name: 'Screenshot preview' }).isVisible());
  });
  await step('axe finds no serious or critical problem in the open dialog', async () => {
    const require = createRequire(import.meta.url);
    await page.evaluate(await readFile(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const found = await page.evaluate(async () => {
      const { violations } = await window.axe.run(document.querySelector('snagdesk-widget'));
      return violations.map(
        (v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      );
    });
    const bad = found.filter((line) => /^(serious|critical)/.test(line));
    assert.deepEqual(bad, [], found.join('\n'));
  });
  await step('a box is drawn on the screenshot with the annotation editor', async () => {
    await widget(page).getByRole('button', { name: 'Annotate' }).click();
    const board = widget(page).locator('canvas.board');
    assert.equal(await shadowFocus(page), 'secondary tool');
    const box = await board.boundingBox();
    await page.mouse.move(box.x + 20, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + 120, box.y + 60, { steps: 4 });
    await page.mouse.up();
    await widget(page).getByRole('button', { name: 'Done' }).click();
    await widget(page).locator('#sd-subject').waitFor();
    assert.equal(await shadowFocus(page), 'secondary');
  });
  await step('sending shows the success state with the ticket reference', async () => {
    await fillAndSend(page, 'Cart total is wrong', 'The total ignores the coupon.');
    await widget(page).getByRole('heading', { name: 'Thank you!' }).waitFor();
    assert.ok(await widget(page).getByText('Your request #100 has been received.').isVisible());
    assert.deepEqual(await page.evaluate(() => window.submitted), {
      number: 100,
      reference: '#100',
    });
  });
  const [report] = fake.submissions;
  await step('the report carries the metadata the contract lists, redacted', async () => {
    const { metadata } = report;
    assert.equal(metadata.url, `${hostOrigin}/`);
    assert.equal(metadata.title, 'Example shop');
    assert.equal(metadata.screenshot_engine, 'html2canvas-pro');
    assert.deepEqual(metadata.viewport, { width: 1280, height: 720 });
    for (const key of ['user_agent', 'language', 'time_zone', 'screen', 'device_pixel_ratio'])
      assert.ok(key in metadata, key);
    const messages = metadata.console_errors.map((e) => e.message).join('\n');
    assert.match(messages, /pay\?session=\[redacted\]&step=2/);
    assert.match(messages, /payment widget timed out/);
    const kinds = metadata.unrendered.map((item) => item.kind).sort();
    assert.deepEqual(kinds, ['cross-origin-iframe', 'cross-origin-image']);
    assert.match(report.key, /^[0-9a-f-]{36}$/);
  });
  await step(
    'password, card number and data-snagdesk-mask content are masked in the image',
    async () => {
      assert.match(report.screenshot, /^data:image\/png;base64,/);
      const pixels = await pixelsAt(context, report.screenshot, masked);
      for (const rgb of pixels) assert.deepEqual(rgb, MASK_RGB, `pixels ${JSON.stringify(pixels)}`);
    },
  );
  await step('Escape closes the dialog and focus returns to the trigger', async () => {
    await widget(page).getByRole('button', { name: 'Close' }).last().click();
    await widget(page).locator('.trigger').click();
    await widget(page).locator('#sd-subject').waitFor();
    await page.keyboard.press('Escape');
    await widget(page).getByRole('dialog').waitFor({ state: 'hidden' });
    assert.equal(await shadowFocus(page), 'trigger');
  });
  await step('Tab stays inside the open dialog', async () => {
    await page.keyboard.press('Enter');
    await widget(page).locator('#sd-subject').waitFor();
    for (let i = 0; i < 12; i += 1) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'SNAGDESK-WIDGET');
    for (let i = 0; i < 12; i += 1) await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'SNAGDESK-WIDGET');
  });
  await page.close();
}

async function strictCsp(context, { hostOrigin, fake }) {
  const { page, violations } = await openPage(context, hostOrigin, '?csp=strict');
  await step('under a strict host CSP the widget still captures and sends', async () => {
    await widget(page).locator('.trigger').click();
    await widget(page)
      .locator('p.muted', { hasText: 'Screenshot ready.' })
      .waitFor({ timeout: 20000 });
    await fillAndSend(page, 'Under CSP', 'Sent from a page with a strict CSP.');
    await widget(page).getByRole('heading', { name: 'Thank you!' }).waitFor();
    assert.ok(fake.submissions.at(-1).screenshot);
  });
  console.log(
    `      (${violations.length} CSP reports on that page, e.g. ${violations[0] || 'none'})`.slice(
      0,
      220,
    ),
  );
  await page.close();
}

async function offlineQueue(context, { hostOrigin, fake }) {
  const { page } = await openPage(context, hostOrigin);
  const queueKey = `snagdesk:queue:${TOKEN.demo}`;
  await step('offline, the report is queued and sent once back online', async () => {
    await widget(page).locator('.trigger').click();
    await widget(page)
      .locator('p.muted', { hasText: 'Screenshot ready.' })
      .waitFor({ timeout: 20000 });
    await context.setOffline(true);
    await fillAndSend(page, 'Offline report', 'Written without a connection.');
    await widget(page).getByText('You seem to be offline.', { exact: false }).first().waitFor();
    const [queued] = JSON.parse(await page.evaluate((key) => localStorage.getItem(key), queueKey));
    assert.ok(queued.screenshot.startsWith('data:image/'));
    await context.setOffline(false);
    await widget(page).getByRole('heading', { name: 'Thank you!' }).waitFor();
    assert.equal(fake.submissions.at(-1).key, queued.key);
  });
  await step('after a 503 the retry uses the same Idempotency-Key', async () => {
    await widget(page).getByRole('button', { name: 'Close' }).last().click();
    await widget(page).locator('.trigger').click();
    await widget(page).locator('#sd-subject').waitFor();
    fake.failNext(1);
    await fillAndSend(page, 'Server hiccup', 'The first attempt gets a 503.');
    await widget(page).getByText('You seem to be offline.', { exact: false }).first().waitFor();
    const [queued] = JSON.parse(await page.evaluate((key) => localStorage.getItem(key), queueKey));
    await widget(page).getByRole('heading', { name: 'Thank you!' }).waitFor({ timeout: 15000 });
    assert.equal(fake.submissions.at(-1).key, queued.key);
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), queueKey), '[]');
  });
  await page.close();
}

async function signIn(context, { hostOrigin, fake }) {
  const { page } = await openPage(context, hostOrigin, `?token=${TOKEN.login}`);
  await step(
    'require_login: the sign-in popup hands over a session used for the report',
    async () => {
      await widget(page).locator('.trigger').click();
      const popup = page.waitForEvent('popup');
      await widget(page).getByRole('button', { name: 'Sign in to continue' }).click();
      assert.match(
        (await popup).url(),
        /\/portal\/widget-login\/\?token=wt_login0+&origin=http%3A%2F%2F127\.0\.0\.1%3A9100$/,
      );
      await widget(page).getByText('Signed in as Ada Client').waitFor();
      await fillAndSend(page, 'Signed-in report', 'Filed under my contact.');
      await widget(page).getByRole('heading', { name: 'Thank you!' }).waitFor();
      assert.equal(fake.submissions.at(-1).session, FAKE_SESSION);
      assert.match(
        await page.evaluate((t) => sessionStorage.getItem(`snagdesk:session:${t}`), TOKEN.login),
        /fake-signed-session/,
      );
    },
  );
  await step('a session message from another origin is ignored', async () => {
    await page.evaluate((t) => sessionStorage.removeItem(`snagdesk:session:${t}`), TOKEN.login);
    await page.reload();
    await page.evaluate(() =>
      window.postMessage({ type: 'snagdesk:session', session: 'forged' }, '*'),
    );
    await widget(page).locator('.trigger').click();
    await widget(page).getByRole('button', { name: 'Sign in to continue' }).waitFor();
  });
  await page.close();
}

async function senderInFrench(context, { hostOrigin, fake }) {
  const { page } = await openPage(context, hostOrigin, `?token=${TOKEN.sender}&lang=fr`);
  await step(
    'data-lang=fr: French texts, identify() prefills, errors shown next to fields',
    async () => {
      await page.evaluate(() =>
        window.Snagdesk.identify({ name: 'Ada Visitor', email: 'ada-at-example' }),
      );
      await widget(page).getByRole('button', { name: 'Assistance' }).click();
      await widget(page).getByRole('dialog', { name: 'Signaler un problème' }).waitFor();
      assert.equal(await widget(page).locator('#sd-name').inputValue(), 'Ada Visitor');
      await widget(page).locator('#sd-screenshot').uncheck();
      await widget(page).getByRole('button', { name: 'Envoyer' }).click();
      assert.equal(await widget(page).locator('#sd-subject').getAttribute('aria-invalid'), 'true');
      assert.ok(await widget(page).getByText('Veuillez saisir un objet.').isVisible());
      assert.ok(
        await widget(page).getByText('Veuillez saisir une adresse e-mail valide.').isVisible(),
      );
      assert.equal(await shadowFocus(page), 'sd-subject');
      await widget(page).locator('#sd-email').fill('ada@visitor.example');
      await fillAndSend(page, 'Objet', 'Message en français.');
      await widget(page).getByRole('heading', { name: 'Merci !' }).waitFor();
      const report = fake.submissions.at(-1);
      assert.deepEqual(
        [report.name, report.email, report.screenshot],
        ['Ada Visitor', 'ada@visitor.example', null],
      );
    },
  );
  await page.close();
}

/** Run every scenario; resolves true when all steps passed. */
export async function runSmoke(servers) {
  const browser = await chromium.launch(CHROMIUM);
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
    locale: 'en-US',
  });
  try {
    for (const scenario of [
      reportWithScreenshot,
      strictCsp,
      offlineQueue,
      signIn,
      senderInFrench,
    ]) {
      await scenario(context, servers);
    }
  } finally {
    await browser.close();
  }
  console.log(failures ? `${failures} step(s) failed` : 'smoke: all steps passed');
  return failures === 0;
}
