// Onboarding through the screens, shared by the browser scenarios: the SWV beheerder
// creates the SWV, invites people in Beheer and approves each join with the
// controlecode the invitee reads back [R100]; the root key has its own passphrase [R102].
// Free of vitest (its own small checks), so the Chromium benchmark (bench/suites/screens.ts)
// onboards through the same steps as the tests.
import type { Page } from 'playwright-core';
import type { ExtensionProfile } from './harness.js';
import type { RunningRelay } from './relay.js';

export interface OnboardingCast {
  /** The relay, read when a step runs (it is started in `beforeAll`). */
  readonly relay: () => RunningRelay;
  readonly profielen: Record<string, ExtensionProfile>;
  /** Each person's main page; `aansluiten` and `nieuwSwv` put it here. The beheerder's is `swv`. */
  readonly paginas: Record<string, Page>;
  /** Everyone's passphrase. */
  readonly pass: string;
  /** The SWV root key's own passphrase. */
  readonly rootPass: string;
  /** Checks a screen as the scenario does (no English, no validation text), when the scenario wants it. */
  readonly scherm?: (page: Page, naam: string) => Promise<void>;
}

export type Organisatie = { readonly naam: string; readonly soort: string } | { readonly bestaand: string };

export const veld = (page: Page, label: string) => page.getByLabel(label, { exact: true });

/** Fails with `wat` unless `actual` equals `verwacht` (compared as JSON: strings, numbers, arrays of them). */
export function gelijk(actual: unknown, verwacht: unknown, wat: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(verwacht))
    throw new Error(`${wat}: verwacht ${JSON.stringify(verwacht)}, kreeg ${JSON.stringify(actual)}`);
}

/** Reads every 50 ms until `read` gives `verwacht`; fails with the last value after `timeout` ms (1 s, as vitest's poll). */
export async function wachtTot<T>(read: () => Promise<T> | T, verwacht: T, wat: string, timeout = 1000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const last = await read();
    if (JSON.stringify(last) === JSON.stringify(verwacht)) return;
    if (Date.now() > deadline)
      throw new Error(`${wat}: na ${timeout} ms nog ${JSON.stringify(last)}, verwacht ${JSON.stringify(verwacht)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function onboarding(cast: OnboardingCast) {
  const profiel = (n: string): ExtensionProfile => {
    const p = cast.profielen[n];
    if (!p) throw new Error(`geen profiel ${n}`);
    return p;
  };
  const pagina = (n: string): Page => {
    const p = cast.paginas[n];
    if (!p) throw new Error(`geen pagina ${n}`);
    return p;
  };

  /** The welcome screen keeps the server address under "Geavanceerd". */
  const zetRelay = async (page: Page) => {
    const url = cast.relay().url;
    const geavanceerd = page.getByTestId('geavanceerd');
    await geavanceerd.waitFor({ timeout: 30_000 });
    if ((await geavanceerd.getAttribute('open')) === null) await geavanceerd.getByText('Geavanceerd: serveradres').click();
    const adres = veld(page, 'Serveradres');
    await adres.fill(url);
    // What the user typed stays typed (the page must not replace it while it loads).
    await wachtTot(() => adres.inputValue(), url, 'serveradres blijft staan');
    await page.getByRole('button', { name: 'Serveradres opslaan' }).click();
    await page.getByText(/Serveradres opgeslagen/).waitFor();
  };

  /** Beheer actions (a new organisation, approving) need the root, unlocked with its own passphrase [R102]. */
  const basissleutelOpen = async (page: Page) => {
    const ontgrendel = page.getByRole('button', { name: 'Sleutel van het SWV ontgrendelen' });
    if ((await ontgrendel.count()) > 0) {
      await cast.scherm?.(page, 'beheer-vergrendeld');
      await veld(page, 'Wachtwoordzin van de sleutel van het SWV').fill(cast.rootPass);
      await ontgrendel.click();
      await page.getByRole('button', { name: 'Sleutel van het SWV vergrendelen' }).waitFor({ timeout: 30_000 });
    }
  };

  /** The beheerder's invitation in Beheer; returns the code. Roles in `nietAangeboden` must not be offered for this organisation. */
  const uitnodigen = async (
    voornaam: string,
    achternaam: string,
    functie: string,
    organisatie: Organisatie,
    rollen: readonly string[],
    nietAangeboden: readonly string[] = [],
  ) => {
    const page = pagina('swv');
    await page.goto(profiel('swv').url('options.html#/beheer'));
    await page.getByRole('heading', { name: 'Beheer' }).waitFor();
    await basissleutelOpen(page);
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
    // Only roles that fit the organisation's kind are offered; none are left ticked from the previous invitation.
    const ibRol = page.getByRole('checkbox', { name: 'Intern begeleider (IB)' });
    if ((await ibRol.count()) > 0 && !rollen.includes('Intern begeleider (IB)')) await ibRol.uncheck();
    for (const r of nietAangeboden)
      gelijk(await page.getByRole('checkbox', { name: r, exact: true }).count(), 0, `${r} bij ${JSON.stringify(organisatie)}`);
    for (const r of rollen) await page.getByRole('checkbox', { name: r, exact: true }).check();
    const eerder = await page.getByTestId('uitnodigingscode').count();
    await page.getByRole('button', { name: 'Uitnodiging maken' }).click();
    await wachtTot(() => page.getByTestId('uitnodigingscode').count(), eerder + 1, 'nieuwe uitnodigingscode', 30_000);
    const code = page.getByTestId('uitnodigingscode').first();
    await code.waitFor({ timeout: 30_000 });
    return (await code.innerText()).trim();
  };

  /**
   * The beheerder approves a waiting join in Beheer with the controlecode the invitee reads back [R100]:
   * the same six digits must be on the beheerder's screen.
   */
  const goedkeuren = async (controlecode: string) => {
    const page = pagina('swv');
    if (!page.url().endsWith('#/beheer')) await page.goto(profiel('swv').url('options.html#/beheer'));
    await page.getByRole('heading', { name: 'Beheer' }).waitFor();
    await basissleutelOpen(page);
    const knop = page.getByRole('button', { name: `Controlecode ${controlecode} klopt: goedkeuren` });
    await wachtTot(
      async () => {
        if ((await knop.count()) === 0) await page.getByRole('button', { name: 'Aanmeldingen nu verwerken' }).click();
        return knop.count();
      },
      1,
      `goedkeurknop voor controlecode ${controlecode}`,
      60_000,
    );
    await knop.click();
  };

  /** `naam` joins in her own browser with the invitation code; the beheerder approves; she lands on her herstelkit. */
  const aansluiten = async (naam: string, code: string, opties: { readonly metServer?: boolean } = {}) => {
    const page = await profiel(naam).open('options.html');
    cast.paginas[naam] = page;
    if (opties.metServer) {
      // The handover letter's line: the code with the server address; the welcome screen sets the server from it.
      const url = cast.relay().url;
      await page.getByRole('heading', { name: 'Welkom bij Kindkluis' }).waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Aansluiten met uitnodigingscode' }).click();
      await veld(page, 'Uitnodigingscode').fill(`${code} @ ${url}`);
      gelijk(await page.getByTestId('uitnodiging-server').innerText(), `Server uit de uitnodiging: ${url}`, 'server uit de uitnodiging');
      const geavanceerd = page.getByTestId('geavanceerd');
      if ((await geavanceerd.getAttribute('open')) === null) await geavanceerd.getByText('Geavanceerd: serveradres').click();
      await wachtTot(() => veld(page, 'Serveradres').inputValue(), url, 'serveradres uit de uitnodiging');
    } else {
      await zetRelay(page);
      await page.getByRole('button', { name: 'Aansluiten met uitnodigingscode' }).click();
      await veld(page, 'Uitnodigingscode').fill(code);
    }
    await veld(page, 'Kies een wachtwoordzin').fill(cast.pass);
    await veld(page, 'Herhaal de wachtwoordzin').fill(cast.pass);
    await page.getByRole('button', { name: 'Aansluiten', exact: true }).click();
    // The invitee's screen shows the controlecode once the beheerder's device saw the request; she reads it back.
    const sas = page.getByTestId('controlecode');
    await wachtTot(() => sas.count(), 1, 'controlecode op het scherm', 60_000);
    await goedkeuren((await sas.innerText()).trim());
    await page.getByRole('heading', { name: 'Uw herstelkit' }).or(page.getByRole('alert')).first().waitFor({ timeout: 120_000 });
    gelijk(await page.getByRole('alert').allInnerTexts(), [], 'foutmeldingen');
  };

  /** A newcomer in profile `swv` creates the SWV and becomes its beheerder; ends on the herstelkit. */
  const nieuwSwv = async (swvNaam: string, beheerder: { voornaam: string; achternaam: string; email: string }) => {
    const page = await profiel('swv').open('options.html');
    cast.paginas['swv'] = page;
    await page.getByRole('heading', { name: 'Welkom bij Kindkluis' }).waitFor();
    await zetRelay(page);
    await page.getByRole('button', { name: 'Nieuw samenwerkingsverband' }).click();
    await veld(page, 'Naam van het samenwerkingsverband').fill(swvNaam);
    await veld(page, 'Uw voornaam').fill(beheerder.voornaam);
    await veld(page, 'Uw achternaam').fill(beheerder.achternaam);
    await veld(page, 'Uw functie').fill('Beheerder');
    await veld(page, 'Uw e-mailadres').fill(beheerder.email);
    await veld(page, 'Kies een wachtwoordzin').fill(cast.pass);
    await veld(page, 'Herhaal de wachtwoordzin').fill(cast.pass);
    await cast.scherm?.(page, 'nieuw-swv');
    await veld(page, 'Wachtwoordzin van de sleutel van het SWV').fill(cast.rootPass);
    await veld(page, 'Herhaal de wachtwoordzin van de sleutel van het SWV').fill(cast.rootPass);
    await page.getByRole('button', { name: 'Samenwerkingsverband aanmaken' }).click();
    await page.getByRole('heading', { name: 'Uw herstelkit' }).or(page.getByRole('alert')).first().waitFor({ timeout: 60_000 });
    gelijk(await page.getByRole('alert').allInnerTexts(), [], 'foutmeldingen');
    return page;
  };

  return { profiel, pagina, zetRelay, basissleutelOpen, uitnodigen, goedkeuren, aansluiten, nieuwSwv };
}
