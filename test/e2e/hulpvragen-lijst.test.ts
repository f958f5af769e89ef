// The hulpvragen list in real Chromium with 10,000 rows: virtualised (only the
// visible rows are in the DOM), search/filter/sort work on all rows, filters and
// the column choice are remembered and "Wis filters" clears them, full-screen mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { bundleForPage } from './bundle.js';
import { axeFindings, launchExtension, screenshot, type ExtensionProfile } from './harness.js';

const N = 10_000;

describe('hulpvragen list with 10,000 rows', () => {
  let profile: ExtensionProfile;
  let page: Page;
  let code = '';
  const mount = async () => {
    await page.evaluate(code);
    return page.evaluate((n) => (globalThis as unknown as { KkLijst: { mount(n: number): number } }).KkLijst.mount(n), N);
  };
  beforeAll(async () => {
    code = await bundleForPage('test/e2e/list-entry.tsx', 'KkLijst');
    profile = await launchExtension('lijst');
    page = await profile.open('options.html');
    const css = await page.evaluate(() => [...document.querySelectorAll('link[rel=stylesheet]')].length);
    expect(css).toBeGreaterThan(0);
    const ms = await mount();
    console.log(`lijst: eerste render van ${N} hulpvragen in ${ms.toFixed(0)} ms`);
    await page.getByText(`${N} van ${N} hulpvragen`).waitFor();
  });
  afterAll(async () => {
    await profile?.close();
  });

  it('keeps only the visible rows in the DOM and reaches the last row by scrolling', async () => {
    const inDom = await page.locator('tbody tr[data-hulpvraag]').count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(100);
    await page.locator('.kk-lijst-venster').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(100);
    const laatste = await page.locator('tbody tr[data-hulpvraag]').last().getAttribute('aria-rowindex');
    expect(Number(laatste)).toBe(N + 1);
    await screenshot(page, 'lijst-10000');
  });

  it('searches and filters over all rows', async () => {
    await page.getByRole('searchbox').fill('Leerling 09999');
    await page.getByText(`1 van ${N} hulpvragen`).waitFor();
    await page.getByRole('searchbox').fill('');
    await page.getByLabel('Status').selectOption('TLV afgegeven');
    const n = Math.ceil((N - 3) / 6);
    await page.getByText(`${n} van ${N} hulpvragen`).waitFor();
    await page.getByLabel('Alleen open').check();
    await page.getByText(`0 van ${N} hulpvragen`).waitFor();
  });

  it('remembers filters between sessions and clears them with "Wis filters"', async () => {
    await mount();
    await page.getByText(`0 van ${N} hulpvragen`).waitFor();
    await page.getByRole('button', { name: 'Wis filters' }).click();
    await page.getByText(`${N} van ${N} hulpvragen`).waitFor();
    await mount();
    await page.getByText(`${N} van ${N} hulpvragen`).waitFor();
  });

  it('sorts by a column header in both directions', async () => {
    const kop = page.getByRole('columnheader', { name: /Leerling/ });
    await kop.getByRole('button').click();
    await expect.poll(() => kop.getAttribute('aria-sort')).toBe('ascending');
    expect(await page.locator('tbody tr[data-hulpvraag] td').first().innerText()).toContain('Leerling 00000');
    await kop.getByRole('button').click();
    await expect.poll(() => kop.getAttribute('aria-sort')).toBe('descending');
    expect(await page.locator('tbody tr[data-hulpvraag] td').first().innerText()).toContain('Leerling 09999');
  });

  it('column chooser hides, shows and reorders columns, remembered after reload', async () => {
    await page.getByRole('button', { name: 'Kolommen' }).click();
    await page.getByRole('checkbox', { name: 'Labels' }).check();
    await page.getByRole('checkbox', { name: 'School' }).uncheck();
    await page.getByRole('button', { name: 'Labels naar links' }).click();
    const koppen = async () => page.locator('thead th').allInnerTexts();
    const na = await koppen();
    expect(na.some((k) => k.startsWith('School'))).toBe(false);
    expect(na.findIndex((k) => k.startsWith('Labels'))).toBe(na.length - 2);
    await mount();
    // The remembered columns are read back from sealed storage asynchronously after mounting.
    await expect.poll(koppen).toEqual(na);
  });

  it('opens full-screen mode and leaves it with Escape; no serious axe findings', async () => {
    await page.getByRole('button', { name: 'Volledig scherm' }).click();
    await expect.poll(() => page.locator('section.kk-volledig').count()).toBe(1);
    await screenshot(page, 'lijst-volledig-scherm');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('section.kk-volledig').count()).toBe(0);
    expect(await axeFindings(page)).toEqual([]);
  });
});
