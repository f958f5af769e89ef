// A browser that crashes (SIGKILL, no shutdown) while someone is typing in
// Kindkluis leaves its last periodic session write on disk: every file of the
// profile is scanned for what was typed, in UTF-8 and UTF-16LE [R32]. Without
// autocomplete="off" on the field components Chromium keeps the typed values
// in Sessions/ (seen once; see THREAT_MODEL R32), so this test fails then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionProfile } from './harness.js';
import { killBrowser, scanProfile } from './profile-scan.js';
import { startRelay, type RunningRelay } from './relay.js';

const PASS = 'kraakbestendige wachtwoordzin voor de crash';
/** The SWV root key's own passphrase (R102): never in the profile either. */
const ROOT_PASS = 'basissleutel wachtwoordzin voor de crash';
const BEHEERDER = { voornaam: 'Hieronymus', achternaam: 'Zwartekop' };
const LEERLING = { voornaam: 'Mirthe', achternaam: 'Oosterwijk' };
const OMSCHRIJVING = 'langdurige schoolweigering sinds de herfstvakantie';
const MARKERS = [PASS, ROOT_PASS, BEHEERDER.voornaam, BEHEERDER.achternaam, LEERLING.voornaam, LEERLING.achternaam, OMSCHRIJVING];

describe('a crashed browser leaves nothing typed in its profile [R32]', () => {
  let relay: RunningRelay;
  let profiel: ExtensionProfile;

  beforeAll(async () => {
    relay = await startRelay();
    profiel = await launchExtension('crash');
  });
  afterAll(async () => {
    await profiel?.context.close().catch(() => undefined);
    if (profiel) rmSync(profiel.userDataDir, { recursive: true, force: true });
    await relay?.stop();
  });

  const veld = (page: Page, label: string) => page.getByLabel(label, { exact: true });

  it('types a passphrase, a colleague, a leerling and an omschrijving, is killed, and no file of the profile holds any of them', async () => {
    const page = await profiel.open('options.html');
    await page.getByRole('heading', { name: 'Welkom bij Kindkluis' }).waitFor();
    await page.getByText('Geavanceerd: serveradres').click();
    await veld(page, 'Serveradres').fill(relay.url);
    await page.getByRole('button', { name: 'Serveradres opslaan' }).click();
    await page.getByText(/Serveradres opgeslagen/).waitFor();
    await page.getByRole('button', { name: 'Nieuw samenwerkingsverband' }).click();
    await veld(page, 'Naam van het samenwerkingsverband').fill('SWV Crashregio');
    await veld(page, 'Uw voornaam').fill(BEHEERDER.voornaam);
    await veld(page, 'Uw achternaam').fill(BEHEERDER.achternaam);
    await veld(page, 'Uw functie').fill('Beheerder');
    await veld(page, 'Uw e-mailadres').fill('beheer@crash.example');
    await veld(page, 'Kies een wachtwoordzin').fill(PASS);
    await veld(page, 'Herhaal de wachtwoordzin').fill(PASS);
    await veld(page, 'Wachtwoordzin van de sleutel van het SWV').fill(ROOT_PASS);
    await veld(page, 'Herhaal de wachtwoordzin van de sleutel van het SWV').fill(ROOT_PASS);
    await page.getByRole('button', { name: 'Samenwerkingsverband aanmaken' }).click();
    await page.getByRole('heading', { name: 'Uw herstelkit' }).or(page.getByRole('alert')).first().waitFor({ timeout: 60_000 });
    expect(await page.getByRole('alert').allInnerTexts()).toEqual([]);

    // A second tab with a half-filled new dossier, left open (the draft is sealed; the form must not be kept by the browser).
    const dossier = await profiel.open('dossier.html#/nieuw');
    await dossier.getByRole('heading', { name: 'Nieuw dossier met hulpvraag' }).waitFor({ timeout: 30_000 });
    await veld(dossier, 'Voornaam').first().fill(LEERLING.voornaam);
    await veld(dossier, 'Achternaam').first().fill(LEERLING.achternaam);
    await dossier.getByRole('textbox', { name: /^Omschrijving/ }).fill(OMSCHRIJVING);
    // Chromium sends a tab's page state a moment after a change and writes its session
    // file every few seconds; give it time to do both, as a real crash would.
    await new Promise((r) => setTimeout(r, 8_000));
    // The session writer did run after the typing: a later navigation is on disk before the kill.
    await page.goto(profiel.url('options.html#/privacy'));
    // The Privacy view says what its own scan cannot see: the profile's other files.
    expect(await page.getByTestId('scan-grenzen').innerText({ timeout: 30_000 })).toContain('andere bestanden van het browserprofiel');
    await expect
      .poll(() => scanProfile(profiel.userDataDir, ['#/privacy']).filter((h) => h.file.includes('Sessions')).length, {
        timeout: 30_000,
        interval: 500,
      })
      .toBeGreaterThan(0);

    await killBrowser(profiel.userDataDir);
    const hits = scanProfile(profiel.userDataDir, MARKERS);
    for (const h of hits) console.error(`[R32] "${h.marker}" (${h.encoding}) staat leesbaar in ${h.file}`);
    expect(hits).toEqual([]);
  });
});
