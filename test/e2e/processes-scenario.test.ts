// Two processes besides the TLV in real Chromium with a real relay on 127.0.0.1, one
// browser profile per person (issue 17). Jonge Kind (001): the contactpersoon JK of the
// SWV starts the dossier and names the voorschoolse voorziening, which adds the ouders'
// signed aanvraagformulier as a bijlage from its own profile and moves the status; the
// contactpersoon sees both live [R49]. Team Schoolondersteuning (003): the IB files the
// hulpvraag with an aanpak for the regierolhouder, who starts an overlegronde from his own
// profile with a schakelfunctionaris not otherwise in the hulpvraag; the IB's device grants
// it, and the schakelfunctionaris gets the @mention as a melding and reads the ronde in his
// own browser [R92]. Every screen is axe-clean; after each scene no file of its profiles
// holds the leerling, an omschrijving or the bijlage's content [R32].
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { axeFindings, launchExtension, screenshot, type ExtensionProfile } from './harness.js';
import { onboarding, veld } from './onboarding.js';
import { scanProfile } from './profile-scan.js';
import { startRelay, type RunningRelay } from './relay.js';
import { BIJLAGE_SOORTEN } from '../../core/model/hulpvraag.js';

const PASS = 'een lange wachtwoordzin voor de procestest';
const ROOT_PASS = 'de basissleutel heeft een eigen zin';
const SWV = 'SWV Voorbeeldregio PO';
const KIND = { voornaam: 'Fenna', achternaam: 'Kwartelbos', geboortedatum: '2022-05-09' };
const LEERLING = { voornaam: 'Joris', achternaam: 'Zandvoortman', geboortedatum: '2016-10-02' };
const JK_OMSCHRIJVING = 'Advies gevraagd voor de overstap naar groep 1';
const FORMULIER_INHOUD = 'Aanvraagformulier onderwijsadvies, getekend door beide ouders op de peuterspeelzaal';
const TSO_OMSCHRIJVING = 'Zorgen over concentratie en werkhouding in de klas';

/** Waits for a live update from another profile (the page must update by itself, no reload). */
async function wachtOp(locator: Locator, timeoutMs = 90_000): Promise<void> {
  await locator.first().waitFor({ timeout: timeoutMs });
}

describe('scenario: Jonge Kind and Team Schoolondersteuning, each party in its own browser', () => {
  let relay: RunningRelay;
  const profielen: Record<string, ExtensionProfile> = {};
  const paginas: Record<string, Page> = {};
  const stap = onboarding({ relay: () => relay, profielen, paginas, pass: PASS, rootPass: ROOT_PASS });
  const { profiel, pagina } = stap;

  /** Closes the browsers of `namen` normally and scans their profile folders for `markers` [R32]. */
  const sluitEnScan = async (namen: readonly string[], markers: readonly string[]) => {
    const hits: string[] = [];
    for (const naam of namen) {
      const p = profiel(naam);
      await p.context.close();
      delete paginas[naam];
      for (const h of scanProfile(p.userDataDir, markers)) hits.push(`${naam}: "${h.marker}" (${h.encoding}) in ${h.file}`);
    }
    for (const h of hits) console.error(`[R32] ${h}`);
    expect(hits).toEqual([]);
  };

  /** Opens the hulpvragen list of `naam` and the first hulpvraag whose link matches `link`; returns the page. */
  const openHulpvraag = async (naam: string, link: RegExp) => {
    const page = pagina(naam);
    await page.goto(profiel(naam).url('dossier.html#/lijst'));
    await page.getByRole('heading', { name: 'Hulpvragen' }).waitFor({ timeout: 30_000 });
    await wachtOp(page.getByRole('link', { name: link }));
    await page.getByRole('link', { name: link }).first().click();
    await wachtOp(page.getByTestId('status'), 60_000);
    return page;
  };

  const nieuwDossier = async (page: Page, naam: string, leerling: typeof KIND, titel: string, omschrijving: string, status: string) => {
    await page.goto(profiel(naam).url('dossier.html#/lijst'));
    await page.getByRole('heading', { name: 'Hulpvragen' }).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Nieuwe hulpvraag' }).first().click();
    await page.getByRole('heading', { name: 'Nieuw dossier met hulpvraag' }).waitFor({ timeout: 30_000 });
    await veld(page, 'Voornaam').first().fill(leerling.voornaam);
    await veld(page, 'Achternaam').first().fill(leerling.achternaam);
    await veld(page, 'Geboortedatum').fill(leerling.geboortedatum);
    await veld(page, 'Titel').selectOption(titel);
    await page.getByRole('textbox', { name: /^Omschrijving/ }).fill(omschrijving);
    expect(await axeFindings(page)).toEqual([]);
    await page.getByRole('button', { name: 'Dossier en hulpvraag opslaan' }).click();
    await expect.poll(() => page.getByTestId('status').innerText(), { timeout: 60_000 }).toBe(status);
  };

  beforeAll(async () => {
    relay = await startRelay();
    profielen['swv'] = await launchExtension('swv');
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    for (const [naam, page] of Object.entries(paginas)) await screenshot(page, `proces-fout-${naam}`).catch(() => undefined);
    const relayLog = relay
      .output()
      .split('\n')
      .filter((l) => /"level":"(warn|error)"|weiger|reject|denied/i.test(l));
    console.error(`relay-waarschuwingen:\n${relayLog.slice(-30).join('\n')}`);
  });
  afterAll(async () => {
    for (const p of Object.values(profielen)) await p.close();
    await relay?.stop();
  });

  it('a newcomer creates the SWV and becomes beheerder; she invites the contactpersoon JK (SWV) and the voorschoolse voorziening (its own organisation), who join in their own browsers', async () => {
    await stap.nieuwSwv(SWV, { voornaam: 'Bea', achternaam: 'Beheer', email: 'beheer@swv-po.example' });
    profielen['jk'] = await launchExtension('jk');
    profielen['vv'] = await launchExtension('vv');
    const codeJk = await stap.uitnodigen(
      'Jolien',
      'Jansen',
      'Contactpersoon Jonge Kind',
      { bestaand: SWV },
      ['Contactpersoon Jonge Kind'],
      ['Contactpersoon voorschoolse voorziening'],
    );
    await stap.aansluiten('jk', codeJk);
    // At a voorschoolse voorziening only its own role is offered: no school or SWV role.
    const codeVv = await stap.uitnodigen(
      'Vera',
      'Vos',
      'Pedagogisch medewerker',
      { naam: 'Peuterspeelzaal Het Nest', soort: 'voorschoolse-voorziening' },
      ['Contactpersoon voorschoolse voorziening'],
      ['Intern begeleider (IB)', 'Contactpersoon Jonge Kind', 'Coördinator samenwerkingsverband'],
    );
    expect(await axeFindings(pagina('swv'))).toEqual([]);
    await stap.aansluiten('vv', codeVv);
  });

  it('Jonge Kind: the contactpersoon JK starts the dossier ("JK onderwijsadvies aanvraag") and names the voorschoolse voorziening under Betrokken organisaties', async () => {
    const jk = pagina('jk');
    await nieuwDossier(jk, 'jk', KIND, 'Jonge Kind onderwijsadvies', JK_OMSCHRIJVING, 'JK onderwijsadvies aanvraag');
    await screenshot(jk, 'jk-dossier');
    expect(await axeFindings(jk)).toEqual([]);
    await veld(jk, 'Organisatie').selectOption({ label: 'Peuterspeelzaal Het Nest' });
    await veld(jk, 'Als').selectOption({ label: 'Voorschoolse voorziening' });
    await jk.getByRole('button', { name: 'Koppelen', exact: true }).click();
    await wachtOp(
      jk
        .getByRole('region', { name: 'Betrokken organisaties' })
        .getByRole('listitem')
        .filter({ hasText: 'Peuterspeelzaal Het Nest (Voorschoolse voorziening)' }),
      30_000,
    );
    expect(await axeFindings(jk)).toEqual([]);
  });

  it('Jonge Kind: the voorschoolse voorziening finds the dossier in its own browser, adds the ouders\' signed form as a bijlage and moves to "JK bijlagen toegevoegd"; the contactpersoon JK sees both live', async () => {
    const vv = await openHulpvraag('vv', /Jonge Kind|Fenna/);
    await expect.poll(() => vv.getByTestId('status').innerText(), { timeout: 30_000 }).toBe('JK onderwijsadvies aanvraag');
    // The voorschoolse voorziening reads the child (001: it shares its data about her), not more.
    await wachtOp(vv.getByRole('heading', { name: `${KIND.voornaam} ${KIND.achternaam}` }), 60_000);
    expect(await axeFindings(vv)).toEqual([]);
    await vv.locator('#bijlage-soort').selectOption({ label: BIJLAGE_SOORTEN['aanvraagformulier-ouders'] });
    const formulier = Buffer.from(`${FORMULIER_INHOUD}\n`, 'utf8');
    await vv
      .locator('#bijlage-kiezen')
      .setInputFiles({ name: 'aanvraag-jk-ondertekend.pdf', mimeType: 'application/pdf', buffer: formulier });
    await wachtOp(
      vv
        .getByRole('listitem')
        .filter({ has: vv.getByRole('button', { name: 'aanvraag-jk-ondertekend.pdf', exact: true }) })
        .filter({ hasText: BIJLAGE_SOORTEN['aanvraagformulier-ouders'] }),
      30_000,
    );
    // Her own move (001): she chooses the status once her documents are in.
    await vv.getByRole('button', { name: 'Status wijzigen' }).click();
    await veld(vv, 'Nieuwe status').selectOption('JK bijlagen toegevoegd');
    await vv.getByRole('button', { name: 'Status opslaan' }).click();
    await expect.poll(() => vv.getByTestId('status').innerText(), { timeout: 30_000 }).toBe('JK bijlagen toegevoegd');
    await screenshot(vv, 'jk-vv-bijlage');
    expect(await axeFindings(vv)).toEqual([]);

    const jk = pagina('jk');
    await wachtOp(jk.getByTestId('status').filter({ hasText: 'JK bijlagen toegevoegd' }));
    const knop = jk.getByRole('button', { name: 'aanvraag-jk-ondertekend.pdf', exact: true });
    await wachtOp(knop);
    const download = jk.waitForEvent('download', { timeout: 60_000 });
    await knop.click();
    const bestand = await download;
    expect(Buffer.compare(readFileSync(await bestand.path()), formulier)).toBe(0);
    // The plaintext download is the user's deliberate act; it does not stay with the test.
    await bestand.delete();
    await screenshot(jk, 'jk-bijlage-gezien');
    expect(await axeFindings(jk)).toEqual([]);
  });

  it('Jonge Kind: after both browsers are closed, no file of their profiles holds the child, the omschrijving or the form [R32]', async () => {
    await sluitEnScan(['jk', 'vv'], [KIND.achternaam, JK_OMSCHRIJVING, FORMULIER_INHOUD, PASS]);
  });

  it('Team Schoolondersteuning: the beheerder invites an IB, a regierolhouder of a zorgpartner and a schakelfunctionaris of the SWV; each joins in their own browser', async () => {
    for (const naam of ['ib', 'rik', 'sam']) profielen[naam] = await launchExtension(naam);
    const codeIb = await stap.uitnodigen('Ilse', 'Bakker', 'Intern begeleider', { naam: 'OBS De Linde', soort: 'school' }, [
      'Intern begeleider (IB)',
    ]);
    await stap.aansluiten('ib', codeIb);
    const codeRik = await stap.uitnodigen('Rik', 'Regie', 'Jeugdconsulent', { naam: 'CJG Noord', soort: 'zorgpartner' }, [
      'Regierolhouder',
    ]);
    await stap.aansluiten('rik', codeRik);
    const codeSam = await stap.uitnodigen('Sam', 'Schakel', 'Schakelfunctionaris', { bestaand: SWV }, [
      'Schakelfunctionaris verbinding onderwijs/jeugdhulp',
    ]);
    await stap.aansluiten('sam', codeSam);
  });

  it('Team Schoolondersteuning: the IB files the hulpvraag ("AANGEMELD") and records an aanpak with the regierolhouder as behandelaar', async () => {
    const ib = pagina('ib');
    await nieuwDossier(ib, 'ib', LEERLING, 'Team Schoolondersteuning', TSO_OMSCHRIJVING, 'AANGEMELD');
    await ib.getByRole('tab', { name: 'Aanpak' }).click();
    const aanpak = ib.getByRole('region', { name: 'Aanpak' });
    const behandelaar = aanpak.getByLabel('Behandelaar (regierolhouder)', { exact: true });
    // The IB's member list learns of Rik at its next tick.
    await expect
      .poll(
        async () => {
          if ((await behandelaar.count()) === 0) await aanpak.getByRole('button', { name: 'Nieuwe aanpak toevoegen' }).click();
          return behandelaar.locator('option', { hasText: 'Rik Regie' }).count();
        },
        { timeout: 60_000 },
      )
      .toBe(1);
    await behandelaar.selectOption({ label: 'Rik Regie – CJG Noord' });
    await veld(ib, 'Omschrijving').last().fill('Gesprekken met ouders en leerkracht; evaluatie na zes weken.');
    await aanpak.getByRole('button', { name: 'Opslaan' }).click();
    await wachtOp(aanpak.getByTestId('aanpak').filter({ hasText: 'Rik Regie' }), 30_000);
    await screenshot(ib, 'tso-aanpak');
    expect(await axeFindings(ib)).toEqual([]);
    await ib.getByRole('tab', { name: 'Hulpvraag' }).click();
  });

  it('Team Schoolondersteuning: the regierolhouder starts an overlegronde from his own browser with the schakelfunctionaris, whose popup shows the @mention and who reads the ronde in his own browser [R92]', async () => {
    const rik = await openHulpvraag('rik', /Team Schoolondersteuning|Joris/);
    await expect.poll(() => rik.getByTestId('status').innerText(), { timeout: 30_000 }).toBe('AANGEMELD');
    expect(await axeFindings(rik)).toEqual([]);
    await rik.getByRole('tab', { name: 'Overlegronde' }).click();
    await rik.getByRole('button', { name: 'Nieuwe overlegronde' }).click();
    const form = rik.getByRole('form', { name: 'Nieuwe overlegronde' });
    await form.getByLabel('Titel', { exact: true }).fill('Afstemming jeugdhulp');
    await form.getByLabel('Omschrijving', { exact: true }).fill('Graag uw blik op passende jeugdhulp naast de begeleiding in de klas.');
    await form.getByRole('button', { name: /^Sam Schakel .* toevoegen$/ }).click();
    expect(await axeFindings(rik)).toEqual([]);
    await form.getByRole('button', { name: 'Opslaan' }).click();
    await rik.getByRole('heading', { name: 'Afstemming jeugdhulp' }).waitFor({ timeout: 90_000 });
    await screenshot(rik, 'tso-overlegronde-gestart');
    expect(await axeFindings(rik)).toEqual([]);

    // A first onderwerp names Sam: he gets a melding in his popup before he opens anything.
    const onderwerp = rik.getByRole('form', { name: 'Nieuw onderwerp' }).first();
    await onderwerp.getByRole('textbox', { name: 'Titel van het onderwerp', exact: true }).fill('Vraag over jeugdhulp');
    await onderwerp
      .getByRole('combobox', { name: 'Bericht', exact: true })
      .fill('Hallo @Sam Schakel, welke jeugdhulp past hier volgens u?');
    await onderwerp.getByRole('button', { name: 'Onderwerp plaatsen' }).click();
    await wachtOp(rik.getByTestId('bericht').filter({ hasText: 'Vraag over jeugdhulp' }), 60_000);

    // Sam is no coördinator or behandelaar: only the invitation, granted by the IB's device, lets him in.
    const popup = await profiel('sam').open('popup.html');
    const melding = popup.getByTestId('melding').filter({ hasText: 'Rik Regie noemde u in "Vraag over jeugdhulp"' });
    await expect
      .poll(
        async () => {
          const n = await melding.count();
          if (n === 0) await popup.reload();
          return n;
        },
        { timeout: 90_000, interval: 3_000 },
      )
      .toBe(1);
    expect(await axeFindings(popup)).toEqual([]);
    await popup.close();
    const sam = await openHulpvraag('sam', /Team Schoolondersteuning/);
    await sam.getByRole('tab', { name: 'Overlegronde' }).click();
    await wachtOp(sam.getByRole('heading', { name: 'Afstemming jeugdhulp' }), 90_000);
    await wachtOp(sam.getByTestId('bericht').filter({ hasText: 'welke jeugdhulp past hier' }), 30_000);
    await screenshot(sam, 'tso-overlegronde-deelnemer');
    expect(await axeFindings(sam)).toEqual([]);
  });

  it('Team Schoolondersteuning: after the browsers are closed, no file of any profile holds the leerling or an omschrijving [R32]', async () => {
    await sluitEnScan(
      ['ib', 'rik', 'sam', 'swv'],
      [LEERLING.achternaam, KIND.achternaam, TSO_OMSCHRIJVING, JK_OMSCHRIJVING, 'passende jeugdhulp', PASS],
    );
  });
});
