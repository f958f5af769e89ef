// The end-to-end scenario in real Chromium with a real relay on 127.0.0.1, one
// browser profile per person: the SWV beheerder (who creates the SWV), an SWV
// coördinator, an intern begeleider (IB) and an ouder. A TLV VSO hulpvraag goes
// from creation to "TLV afgegeven" with a bijlage and an automatic status
// change; an overlegronde @mention shows on the other profile's badge; the
// leerling's name in the omschrijving is flagged; a removal from Toegang stops
// new content; the privacy scan finds the leerling's name nowhere on disk.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { axeFindings, launchExtension, screenshot, type ExtensionProfile } from './harness.js';
import { startRelay, type RunningRelay } from './relay.js';

const PASS = 'een lange wachtwoordzin voor de test';
const LEERLING = { voornaam: 'Daantje', achternaam: 'Vermeulen', geboortedatum: '2011-03-14' };

/** Waits for a live update from another profile (the page must update by itself, no reload). */
async function wachtOp(locator: Locator, timeoutMs = 90_000): Promise<void> {
  await locator.first().waitFor({ timeout: timeoutMs });
}


describe('scenario: SWV, school and ouder work on one TLV VSO dossier', () => {
  let relay: RunningRelay;
  const profielen: Record<string, ExtensionProfile> = {};
  const paginas: Record<string, Page> = {};

  beforeAll(async () => {
    relay = await startRelay();
    for (const naam of ['swv', 'coo', 'ib', 'ouder']) profielen[naam] = await launchExtension(naam);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    // Evidence for a failure: every profile's current screen.
    for (const [naam, page] of Object.entries(paginas)) await screenshot(page, `fout-${naam}`).catch(() => undefined);
    const relayLog = relay.output().split('\n').filter((l) => /"level":"(warn|error)"|weiger|reject|denied/i.test(l));
    console.error(`relay-waarschuwingen:\n${relayLog.slice(-30).join('\n')}`);
    // KK_DEBUG=1 prints the relay's whole recent log too (connections, sessions, refusals).
    if (process.env['KK_DEBUG']) console.error(relay.output().split('\n').slice(-120).join('\n'));
  });
  afterAll(async () => {
    for (const p of Object.values(profielen)) await p.close();
    await relay?.stop();
  });

  const profiel = (n: string): ExtensionProfile => {
    const p = profielen[n];
    if (!p) throw new Error(`geen profiel ${n}`);
    return p;
  };
  const pagina = (n: string): Page => {
    const p = paginas[n];
    if (!p) throw new Error(`geen pagina ${n}`);
    return p;
  };
  const veld = (page: Page, label: string) => page.getByLabel(label, { exact: true });

  const zetRelay = async (page: Page) => {
    await veld(page, 'Adres van de relay').fill(relay.url);
    await page.getByRole('button', { name: 'Relay opslaan' }).click();
    await page.getByText(/Relay opgeslagen/).waitFor();
  };

  const uitnodigen = async (voornaam: string, achternaam: string, functie: string, organisatie: { naam: string; soort: string } | { bestaand: string }, rollen: string[]) => {
    const page = pagina('swv');
    await page.goto(profiel('swv').url('options.html#/beheer'));
    await page.getByRole('heading', { name: 'Beheer' }).waitFor();
    if ('bestaand' in organisatie) {
      await veld(page, 'Organisatie').selectOption({ label: organisatie.bestaand });
    } else {
      await veld(page, 'Organisatie').selectOption({ label: 'Nieuwe organisatie…' });
      await veld(page, 'Naam van de organisatie').fill(organisatie.naam);
      await veld(page, 'Soort organisatie').selectOption(organisatie.soort);
    }
    await veld(page, 'Voornaam').fill(voornaam);
    await veld(page, 'Achternaam').fill(achternaam);
    await veld(page, 'Functie').fill(functie);
    await veld(page, 'E-mailadres').fill(`${voornaam.toLowerCase()}@example.org`);
    await page.getByRole('checkbox', { name: 'Intern begeleider (IB)' }).uncheck();
    for (const r of rollen) await page.getByRole('checkbox', { name: r, exact: true }).check();
    const eerder = await page.getByTestId('uitnodigingscode').count();
    await page.getByRole('button', { name: 'Uitnodiging maken' }).click();
    await expect.poll(() => page.getByTestId('uitnodigingscode').count(), { timeout: 30_000 }).toBe(eerder + 1);
    const code = page.getByTestId('uitnodigingscode').first();
    await code.waitFor({ timeout: 30_000 });
    return (await code.innerText()).trim();
  };

  const aansluiten = async (naam: string, code: string) => {
    const page = await profiel(naam).open('options.html');
    paginas[naam] = page;
    await zetRelay(page);
    await page.getByRole('button', { name: 'Aansluiten met uitnodigingscode' }).click();
    await veld(page, 'Uitnodigingscode').fill(code);
    await veld(page, 'Kies een wachtwoordzin').fill(PASS);
    await veld(page, 'Herhaal de wachtwoordzin').fill(PASS);
    await page.getByRole('button', { name: 'Aansluiten', exact: true }).click();
    await page.getByRole('heading', { name: 'Uw herstelkit' }).or(page.getByRole('alert')).first().waitFor({ timeout: 120_000 });
    expect(await page.getByRole('alert').allInnerTexts()).toEqual([]);
  };

  const statusWijzigen = async (page: Page, naar: string, omschrijving?: string, voorOpslaan?: () => Promise<void>) => {
    await page.getByRole('button', { name: 'Status wijzigen' }).click();
    await veld(page, 'Nieuwe status').selectOption(naar);
    if (omschrijving) await page.locator('#status-omschrijving').fill(omschrijving);
    if (voorOpslaan) await voorOpslaan();
    await page.getByRole('button', { name: 'Status opslaan' }).click();
    await expect.poll(() => page.getByTestId('status').innerText(), { timeout: 30_000 }).toBe(naar);
  };

  it('onboarding: a newcomer creates a new SWV, becomes beheerder and gets a recovery kit', async () => {
    const page = await profiel('swv').open('options.html');
    paginas['swv'] = page;
    await page.getByRole('heading', { name: 'Welkom bij Kindkluis' }).waitFor();
    await screenshot(page, 'onboarding-welkom');
    expect(await axeFindings(page)).toEqual([]);
    await zetRelay(page);
    await page.getByRole('button', { name: 'Nieuw samenwerkingsverband' }).click();
    await veld(page, 'Naam van het samenwerkingsverband').fill('SWV Voorbeeldregio VO');
    await veld(page, 'Uw voornaam').fill('Bram');
    await veld(page, 'Uw achternaam').fill('Beheer');
    await veld(page, 'Uw functie').fill('Beheerder');
    await veld(page, 'Uw e-mailadres').fill('beheer@swv.example');
    await veld(page, 'Kies een wachtwoordzin').fill(PASS);
    await veld(page, 'Herhaal de wachtwoordzin').fill(PASS);
    await screenshot(page, 'onboarding-nieuw-swv');
    await page.getByRole('button', { name: 'Samenwerkingsverband aanmaken' }).click();
    await page.getByRole('heading', { name: 'Uw herstelkit' }).or(page.getByRole('alert')).first().waitFor({ timeout: 60_000 });
    expect(await page.getByRole('alert').allInnerTexts()).toEqual([]);
    await screenshot(page, 'herstelkit');
    expect(await axeFindings(page)).toEqual([]);
  });

  it('beheer: invitations for an SWV coördinator, an intern begeleider and an ouder; each joins with the code', async () => {
    const codeCoo = await uitnodigen('Cor', 'Visser', 'Coördinator passend onderwijs', { bestaand: 'SWV Voorbeeldregio VO' }, ['Coördinator samenwerkingsverband', 'Loket samenwerkingsverband']);
    await screenshot(pagina('swv'), 'beheer');
    expect(await axeFindings(pagina('swv'))).toEqual([]);
    await aansluiten('coo', codeCoo);
    const codeIb = await uitnodigen('Ilse', 'Begeleider', 'Intern begeleider', { naam: 'Het Voorbeeld College', soort: 'school' }, ['Intern begeleider (IB)']);
    await aansluiten('ib', codeIb);
    const codeOuder = await uitnodigen('Olga', 'Ouder', 'Ouder', { naam: 'Ouders', soort: 'zorgpartner' }, ['Ouder/verzorger']);
    await aansluiten('ouder', codeOuder);
    // The coördinator keeps the hulpvragen list open: new work must appear in it by itself.
    await pagina('coo').goto(profiel('coo').url('dossier.html#/lijst'));
    await pagina('coo').getByRole('heading', { name: 'Hulpvragen' }).waitFor();
  });

  it('the IB files a TLV VSO hulpvraag; the leerling name in the omschrijving is flagged with a one-click fix', async () => {
    const page = pagina('ib');
    await page.goto(profiel('ib').url('dossier.html#/nieuw'));
    await page.getByRole('heading', { name: 'Nieuw dossier met hulpvraag' }).waitFor({ timeout: 30_000 });
    await veld(page, 'Voornaam').first().fill(LEERLING.voornaam);
    await veld(page, 'Achternaam').first().fill(LEERLING.achternaam);
    await veld(page, 'Geboortedatum').fill(LEERLING.geboortedatum);
    await veld(page, 'Titel').selectOption('TLV VSO');
    await page.getByRole('textbox', { name: /^Omschrijving/ }).fill(`${LEERLING.voornaam} heeft intensieve ondersteuning nodig die de school niet kan bieden.`);
    const waarschuwing = page.getByTestId('pii-waarschuwing');
    await waarschuwing.waitFor();
    expect(await waarschuwing.innerText()).toContain(LEERLING.voornaam);
    await screenshot(page, 'pii-waarschuwing');
    await waarschuwing.getByRole('button', { name: 'Verwijder' }).first().click();
    await expect.poll(() => waarschuwing.count()).toBe(0);
    expect(await page.getByRole('textbox', { name: /^Omschrijving/ }).inputValue()).not.toContain(LEERLING.voornaam);
    expect(await axeFindings(page)).toEqual([]);
    await page.getByRole('button', { name: 'Dossier en hulpvraag opslaan' }).click();
    await expect.poll(() => page.getByTestId('status').innerText(), { timeout: 60_000 }).toBe('TLV voorlopige aanvraag');
    await screenshot(page, 'dossier-hulpvraag');
    expect(await axeFindings(page)).toEqual([]);
    await statusWijzigen(page, 'TLV aanvraag indienen');
  });

  it('the coördinator sees the submitted hulpvraag appear live and asks questions; the IB sees the new status live', async () => {
    const coo = pagina('coo');
    await wachtOp(coo.getByRole('link', { name: /Daantje|TLV VSO/ }));
    await screenshot(coo, 'lijst-coordinator');
    expect(await axeFindings(coo)).toEqual([]);
    await coo.getByRole('link', { name: /Daantje|TLV VSO/ }).first().click();
    await wachtOp(coo.getByTestId('status').filter({ hasText: 'TLV aanvraag indienen' }));
    await statusWijzigen(coo, 'TLV vragen gesteld', 'Graag het OPP en het verslag van het laatste MDO toevoegen.');
    const ib = pagina('ib');
    await wachtOp(ib.getByTestId('status').filter({ hasText: 'TLV vragen gesteld' }));
    await ib.getByRole('button', { name: 'Statushistorie' }).click();
    await ib.getByRole('cell', { name: /verslag van het laatste MDO/ }).waitFor();
    await screenshot(ib, 'statushistorie');
    expect(await axeFindings(ib)).toEqual([]);
  });

  it('the privacy view scans the IndexedDB of both profiles for the leerling\'s name and finds nothing', async () => {
    for (const naam of ['ib', 'coo']) {
      const page = pagina(naam);
      await page.goto(profiel(naam).url('options.html#/privacy'));
      await veld(page, 'Te zoeken tekst').fill(LEERLING.achternaam);
      await page.getByRole('button', { name: 'Doorzoek opslag' }).click();
      const resultaat = page.getByTestId('scan-resultaat');
      await resultaat.waitFor({ timeout: 60_000 });
      expect(await resultaat.innerText()).toContain('Niets gevonden');
      const opslag = await page.getByTestId('scan-opslag').allInnerTexts();
      expect(opslag.some((o) => o.includes('IndexedDB kindkluis / envelopes'))).toBe(true);
      expect(opslag.length).toBeGreaterThan(5);
      await screenshot(page, `privacy-scan-${naam}`);
      expect(await axeFindings(page)).toEqual([]);
    }
  });
});
