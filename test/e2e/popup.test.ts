// The toolbar popup renders in real Chromium for a new and for an unlocked
// profile, is axe-clean, and reports its open time (navigation start to first
// render, several runs; printed, never asserted: timings belong in bench/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeFindings, launchExtension, screenshot, type ExtensionProfile } from './harness.js';

describe('toolbar popup', () => {
  let profile: ExtensionProfile;
  beforeAll(async () => {
    profile = await launchExtension('popup');
  });
  afterAll(async () => {
    await profile?.close();
  });

  const meet = async (): Promise<number[]> => {
    const tijden: number[] = [];
    for (let i = 0; i < 7; i++) {
      const page = await profile.open('popup.html');
      await page.waitForFunction(() => performance.getEntriesByName('kk-popup-gerenderd').length > 0);
      tijden.push(await page.evaluate(() => performance.getEntriesByName('kk-popup-gerenderd')[0]?.startTime ?? -1));
      await page.close();
    }
    return tijden;
  };

  it('asks a new profile to set up Kindkluis', async () => {
    const page = await profile.open('popup.html');
    await page.getByRole('button', { name: 'Instellen' }).waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await screenshot(page, 'popup-nieuw');
    await page.close();
    const t = await meet();
    console.log(`popup (nieuw profiel) open-tijd ms: ${t.map((x) => x.toFixed(1)).join(', ')}`);
    expect(t.every((x) => x > 0)).toBe(true);
  });

  it('shows Mijn hulpvragen, unread items and quick actions from the session summary when unlocked', async () => {
    // The summary is what an unlocked page publishes into memory-only session storage.
    await profile.worker.evaluate(async () => {
      const g = globalThis as unknown as {
        chrome: { storage: { session: { set(v: object): Promise<void> }; local: { set(v: object): Promise<void> } } };
      };
      await g.chrome.storage.local.set({ 'kk-ingesteld': true });
      await g.chrome.storage.session.set({
        'kk-sessie': 'x',
        'kk-popup-overzicht': {
          bijgewerkt: new Date().toISOString(),
          hulpvragen: [
            {
              hulpvraagId: 'h1',
              dossierId: 'd1',
              leerling: 'Pim Proef',
              titel: 'TLV VSO',
              status: 'TLV vragen gesteld',
              laatsteDatum: '2026-11-20T10:00:00Z',
              ongelezen: true,
            },
          ],
          meldingen: [
            {
              id: 'm1',
              soort: 'mention',
              dossierId: 'd1',
              hulpvraagId: 'h1',
              tekst: 'Cor Visser noemde u in "Vraag"',
              at: '2026-11-20T10:00:00Z',
            },
          ],
        },
      });
    });
    const page = await profile.open('popup.html');
    await page.getByRole('heading', { name: 'Mijn hulpvragen' }).waitFor();
    expect(await page.getByTestId('mijn-hulpvraag').count()).toBe(1);
    expect(await page.getByTestId('melding').innerText()).toContain('noemde u');
    for (const naam of ['Open dossier', 'Nieuwe hulpvraag', 'Open zijpaneel']) await page.getByRole('button', { name: naam }).waitFor();
    expect(await page.title()).toBe('Kindkluis');
    expect(await axeFindings(page)).toEqual([]);
    await screenshot(page, 'popup-ontgrendeld');
    await page.close();
    const t = await meet();
    console.log(`popup (ontgrendeld, met overzicht) open-tijd ms: ${t.map((x) => x.toFixed(1)).join(', ')}`);
    expect(t.every((x) => x > 0)).toBe(true);
  });
});
