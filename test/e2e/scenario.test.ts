// The end-to-end scenario in real Chromium with a real relay on 127.0.0.1:
// an SWV coördinator (who creates the SWV and is its beheerder), an intern
// begeleider and an ouder, each in their own browser profile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeFindings, launchExtension, screenshot, type ExtensionProfile } from './harness.js';
import { startRelay, type RunningRelay } from './relay.js';

const PASS_SWV = 'lange wachtwoordzin voor het swv';
const PASS_IB = 'lange wachtwoordzin van de ib';

describe('scenario: SWV, school and ouder work on one TLV VSO dossier', () => {
  let relay: RunningRelay;
  let swv: ExtensionProfile;
  let ib: ExtensionProfile;
  let swvPage: Page;
  let ibPage: Page;
  let codeIb = '';

  beforeAll(async () => {
    relay = await startRelay();
    swv = await launchExtension('swv');
    ib = await launchExtension('ib');
  });
  afterAll(async () => {
    await swv?.close();
    await ib?.close();
    await relay?.stop();
  });

  const zetRelay = async (page: Page) => {
    await page.getByLabel('Adres van de relay', { exact: true }).fill(relay.url);
    await page.getByRole('button', { name: 'Relay opslaan' }).click();
    await page.getByText(/Relay opgeslagen/).waitFor();
  };

  it('onboarding: a newcomer creates a new SWV, becomes beheerder and gets a recovery kit', async () => {
    swvPage = await swv.open('options.html');
    await swvPage.getByRole('heading', { name: 'Welkom bij Kindkluis' }).waitFor();
    expect(await axeFindings(swvPage)).toEqual([]);
    await zetRelay(swvPage);
    await swvPage.getByRole('button', { name: 'Nieuw samenwerkingsverband' }).click();
    await swvPage.getByLabel('Naam van het samenwerkingsverband', { exact: true }).fill('SWV Voorbeeldregio VO');
    await swvPage.getByLabel('Uw voornaam', { exact: true }).fill('Sanne');
    await swvPage.getByLabel('Uw achternaam', { exact: true }).fill('Coördinator');
    await swvPage.getByLabel('Uw functie', { exact: true }).fill('Coördinator passend onderwijs');
    await swvPage.getByLabel('Uw e-mailadres', { exact: true }).fill('coordinator@swv.example');
    await swvPage.getByLabel('Kies een wachtwoordzin', { exact: true }).fill(PASS_SWV);
    await swvPage.getByLabel('Herhaal de wachtwoordzin', { exact: true }).fill(PASS_SWV);
    await screenshot(swvPage, 'onboarding-nieuw-swv');
    await swvPage.getByRole('button', { name: 'Samenwerkingsverband aanmaken' }).click();
    await swvPage.getByRole('heading', { name: 'Uw herstelkit' }).or(swvPage.getByRole('alert')).first().waitFor({ timeout: 60_000 });
    await screenshot(swvPage, 'onboarding-na-aanmaken');
    expect(await swvPage.getByRole('alert').allInnerTexts()).toEqual([]);
    await screenshot(swvPage, 'herstelkit');
    expect(await axeFindings(swvPage)).toEqual([]);
  });

  it('beheer: the beheerder invites an intern begeleider of a school', async () => {
    await swvPage.goto(swv.url('options.html#/beheer'));
    await swvPage.getByRole('heading', { name: 'Beheer' }).waitFor();
    await swvPage.getByLabel('Naam van de organisatie', { exact: true }).fill('Het Voorbeeld College');
    await swvPage.getByLabel('Voornaam', { exact: true }).fill('Ilse');
    await swvPage.getByLabel('Achternaam', { exact: true }).fill('Begeleider');
    await swvPage.getByLabel('Functie', { exact: true }).fill('Intern begeleider');
    await swvPage.getByLabel('E-mailadres', { exact: true }).fill('ib@school.example');
    await swvPage.getByRole('button', { name: 'Uitnodiging maken' }).click();
    const code = swvPage.getByTestId('uitnodigingscode');
    await code.waitFor({ timeout: 30_000 });
    codeIb = (await code.innerText()).trim();
    expect(codeIb.length).toBeGreaterThan(6);
    await screenshot(swvPage, 'beheer');
    expect(await axeFindings(swvPage)).toEqual([]);
  });

  it('onboarding: the intern begeleider joins with the invitation code', async () => {
    ibPage = await ib.open('options.html');
    await zetRelay(ibPage);
    await ibPage.getByRole('button', { name: 'Aansluiten met uitnodigingscode' }).click();
    await ibPage.getByLabel('Uitnodigingscode', { exact: true }).fill(codeIb);
    await ibPage.getByLabel('Kies een wachtwoordzin', { exact: true }).fill(PASS_IB);
    await ibPage.getByLabel('Herhaal de wachtwoordzin', { exact: true }).fill(PASS_IB);
    await ibPage.getByRole('button', { name: 'Aansluiten', exact: true }).click();
    await ibPage.getByRole('heading', { name: 'Uw herstelkit' }).waitFor({ timeout: 120_000 });
  });
});
