// Issue 14 "done when": every user action the screens offer, walked through the one port
// (core/client/port.ts) against a real relay on 127.0.0.1, each checked by its visible effect,
// often at another member. The port is wrapped in a recorder; the last test fails when a method
// of CLIENT_PORT_METHODS was never walked, so a new port method needs a step here.
//
// What the walk does NOT reach, and why (each is the extension's page shell, extension/ui/client-backend.ts,
// which needs chrome.* and so does not run in Node; its rules live in core and are tested there):
// - session, onChange, syncState, relayAdres, scanIndexedDb, onAanwezigheid: browser session storage,
//   settings, the origin's IndexedDB list and page listeners;
// - hulpvragenLijst, meldingen, markGelezen, hulpvraagTitels, dossierDetail, isGekoppeldeOuder, exportFormulier,
//   overlegGezien, markeerOnderwerpGezien, privacyDossiers, bewaarRegels: one-line calls of core/client/views
//   (tested in test/client/views); this walk reads effects with `dossierDetailVan`, the view `dossierDetail` returns;
// - join, invite, apparaatUitnodigen, saveDraft: the page wraps client.joinWithInvitation, createInvitation,
//   inviteDevice and saveDraft; the walk makes those with the client (or the harness) where a step needs them.
// Waiting for another member is the page shell's timer (`startTicking` → client.tick), done here by `tick`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_PORT_METHODS, clientPort, type ClientPort, type ClientPortMethod } from '../../core/client/port.js';
import type { KindkluisClient } from '../../core/client/api.js';
import { dossierDetailVan, type DossierDetail } from '../../core/client/views/dossier-detail.js';
import { dossierOfDraftKey } from '../../core/client/client-drafts.js';
import { formForHulpvraagTitel } from '../../core/forms/definitions/index.js';
import { completeAnswers } from '../../scripts/form-answers.js';
import { asId, type DossierId } from '../../core/model/ids.js';
import { eventually, joinExtraDevice, newClient, PASS, ROOT_PASS, type Member, type TestClient } from '../sync/harness.js';
import { LEERLING, startWorld, type World } from './dossier-world.js';

const TLV = formForHulpvraagTitel('TLV VSO');
if (!TLV) throw new Error('TLV VSO heeft geen formulier');
const FORM = TLV.id;

/** Which port methods the walk called, across every member's port. */
const called = new Set<string>();

/** The port of a client, recording each method called (on the call, not on a mere read of the property). */
function recordingPort(client: KindkluisClient): ClientPort {
  const port = clientPort(client);
  return new Proxy(port, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        called.add(prop);
        return (v as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
}

/** What the page shell's timer does while a page is open. */
const tick = async (...ms: readonly Member[]): Promise<void> => {
  for (const m of ms) await m.tc.client.tick();
};

/** The dossier screen's view (what the port's `dossierDetail` returns) of `m`, after a tick. */
async function scherm(m: Member, dossierId: string): Promise<DossierDetail | null> {
  await tick(m);
  const r = await dossierDetailVan(m.tc.client, asId<DossierId>(dossierId));
  return r.ok ? r.value : null;
}

/** Waits until `m`'s dossier screen shows what `check` looks for; returns that screen. */
async function zietBij(m: Member, dossierId: string, check: (d: DossierDetail) => boolean, what: string): Promise<DossierDetail> {
  let last: DossierDetail | null = null;
  await eventually(
    async () => {
      last = await scherm(m, dossierId);
      return last !== null && check(last);
    },
    `${what} (bij ${m.naam})`,
    30_000,
  );
  return last as unknown as DossierDetail;
}

const okValue = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

const vandaag = (): string => new Date().toISOString().slice(0, 10);
const overDagen = (d: number): string => new Date(Date.now() + d * 86_400_000).toISOString();

let world: World;
let ilse: Member, sanne: Member, bert: Member, rik: Member, fien: Member, olga: Member, dirk: Member;
let p: { ilse: ClientPort; sanne: ClientPort; bert: ClientPort; rik: ClientPort; fien: ClientPort; olga: ClientPort; dirk: ClientPort };
let beheer: ClientPort;
let dossier: string, hv: string, hvTso: string, ronde: string, opening: string;
const extra: TestClient[] = [];

beforeAll(async () => {
  const school = { naam: 'OBS De Linde', kind: 'school' } as const;
  const swv = { naam: 'SWV Simulatie', kind: 'swv' } as const;
  world = await startWorld([
    { naam: 'Ilse Bakker', functie: 'intern begeleider', organisation: school, roles: ['intern-begeleider'] },
    { naam: 'Sanne Smit', functie: 'intern begeleider', organisation: school, roles: ['intern-begeleider'] },
    { naam: 'Bert Bestuur', functie: 'bestuurder', organisation: school, roles: ['bevoegd-gezag'] },
    { naam: 'Rik Regie', functie: 'jeugdconsulent', organisation: { naam: 'CJG Noord', kind: 'zorgpartner' }, roles: ['regierolhouder'] },
    { naam: 'Fien Gerritsen', functie: 'functionaris gegevensbescherming', organisation: swv, roles: ['privacy-officer'] },
    { naam: 'Olga Kwartel', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
    { naam: 'Dirk Deskundige', functie: 'orthopedagoog', organisation: swv, roles: ['deskundige'] },
  ]);
  [ilse, sanne, bert, rik, fien, olga, dirk] = world.members as [Member, Member, Member, Member, Member, Member, Member];
  p = {
    ilse: recordingPort(ilse.tc.client),
    sanne: recordingPort(sanne.tc.client),
    bert: recordingPort(bert.tc.client),
    rik: recordingPort(rik.tc.client),
    fien: recordingPort(fien.tc.client),
    olga: recordingPort(olga.tc.client),
    dirk: recordingPort(dirk.tc.client),
  };
  beheer = recordingPort(world.beheerder.client);
}, 180_000);

afterAll(async () => {
  for (const tc of extra) await tc.client.close();
  await world?.close();
});

describe('every action the screens offer, through the one port, against a real relay (issue 14)', () => {
  it('the IB files a hulpvraag with a new dossier, edits the leerling and the hulpvraag; her colleague sees it', async () => {
    const r = okValue(
      await p.ilse.createDossierWithHulpvraag(LEERLING, { titel: 'TLV VSO', omschrijving: 'Aanvraag voor passend onderwijs' }),
    );
    ({ dossierId: dossier, hulpvraagId: hv } = r);
    okValue(await p.ilse.updateLeerling(dossier, { voornaam: 'Femke' }));
    okValue(await p.ilse.updateHulpvraag(dossier, hv, { omschrijving: 'Vastgelopen in groep 8', labels: ['spoed'] }));
    hvTso = okValue(await p.ilse.createHulpvraag(dossier, { titel: 'Team Schoolondersteuning', omschrijving: 'Concentratie in de klas' }));
    // The school's other IB reads the dossier (the process gives the school access).
    const d = await zietBij(
      sanne,
      dossier,
      (x) => x.leerling?.voornaam === 'Femke' && x.hulpvragen.some((h) => h.view.id === hv && h.view.labels.includes('spoed')),
      'leerling en hulpvraag',
    );
    expect(d.hulpvragen.find((h) => h.view.id === hv)?.view.omschrijving).toBe('Vastgelopen in groep 8');
    expect(d.hulpvragen.map((h) => h.view.id).sort()).toEqual([hv, hvTso].sort());
  }, 90_000);

  it('bijlagen, form answers and LVS are saved and read back; the IB asks the bevoegd gezag to sign, who signs', async () => {
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 1, 2, 3]);
    const opp = okValue(
      await p.ilse.addBijlage(dossier, hv, { bestandsnaam: 'opp.pdf', mediaType: 'application/pdf', bytes, soort: 'opp' }),
    );
    okValue(
      await p.ilse.addBijlage(dossier, hv, {
        bestandsnaam: 'aanvraag-ouders.pdf',
        mediaType: 'application/pdf',
        bytes: new Uint8Array([9, 9]),
        soort: 'aanvraagformulier-ouders',
      }),
    );
    expect([...okValue(await p.ilse.readBijlage(dossier, hv, opp.id))]).toEqual([...bytes]);
    okValue(await p.ilse.setFormValues(dossier, hv, FORM, completeAnswers(TLV)));
    okValue(await p.ilse.setLvs(dossier, hv, { toetsdatum: '2026-01-15', groep: '7' }));
    const verzoek = okValue(await p.ilse.requestFormSignature(dossier, hv, FORM));
    expect(verzoek.open).toBe(true);
    // Sanne's device reads the bijlage the relay holds (uploaded by Ilse's tick).
    await tick(ilse);
    await eventually(
      async () => {
        await tick(ilse, sanne);
        await scherm(sanne, dossier);
        const b = await p.sanne.readBijlage(dossier, hv, opp.id);
        return b.ok && b.value.length === bytes.length;
      },
      'Sanne leest de bijlage',
      30_000,
    );
    const bijBert = await zietBij(
      bert,
      dossier,
      (x) => x.hulpvragen.find((h) => h.view.id === hv)?.formulieren[0]?.ontbrekend.length === 0,
      'volledig formulier bij het bevoegd gezag',
    );
    expect(bijBert.hulpvragen.find((h) => h.view.id === hv)?.ondertekenverzoek?.open).toBe(true);
    const getekend = okValue(await p.bert.signForm(dossier, hv, FORM));
    expect(getekend).toMatchObject({ naam: 'Bert Bestuur', geldig: true });
    const bijIlse = await zietBij(
      ilse,
      dossier,
      (x) => x.hulpvragen.find((h) => h.view.id === hv)?.formulieren[0]?.ondertekening?.geldig === true,
      'handtekening',
    );
    expect(bijIlse.hulpvragen.find((h) => h.view.id === hv)?.lvs).toMatchObject({ toetsdatum: '2026-01-15', groep: '7' });
  }, 120_000);

  it('the IB submits (signed form and both bijlagen present); the status shows at her colleague; no TLV yet', async () => {
    const nieuw = okValue(await p.ilse.changeStatus(dossier, hv, 'TLV aanvraag indienen', 'Ingediend bij het SWV'));
    expect(nieuw).toBe('TLV aanvraag indienen');
    await zietBij(sanne, dossier, (x) => x.hulpvragen.find((h) => h.view.id === hv)?.view.status === 'TLV aanvraag indienen', 'status');
    const volgnummer = await p.ilse.checkVolgnummer(dossier, hv);
    expect(volgnummer.ok ? '' : volgnummer.error.code).toBe('geen-tlv');
  }, 90_000);

  it('an overlegronde: a message, its edit, a reactie, afgehandeld; the notities of the dossier', async () => {
    ronde = okValue(
      await p.ilse.startOverlegronde(dossier, hv, {
        titel: 'Afstemming',
        omschrijving: 'Over de aanvraag',
        einddatum: overDagen(7),
        deelnemers: [sanne.userId],
      }),
    );
    expect(okValue(p.ilse.overlegrondenStand(dossier)).lopend).toBe(1);
    opening = okValue(await p.ilse.postMessage(dossier, ronde, 'Planning', 'Wanneer past het?'));
    okValue(await p.ilse.editMessage(dossier, ronde, opening, 'Planning', 'Wanneer past het, @Sanne Smit?'));
    await zietBij(
      sanne,
      dossier,
      (x) => x.overlegronden.some((o) => o.berichten.some((b) => b.id === opening && b.bewerkt && b.geverifieerd)),
      'bewerkt bericht',
    );
    const reactie = okValue(await p.sanne.postReactie(dossier, ronde, opening, 'Dinsdag.'));
    okValue(await p.sanne.markeerAfgehandeld(dossier, ronde, opening, true));
    const bijIlse = await zietBij(
      ilse,
      dossier,
      (x) => x.overlegronden.some((o) => o.berichten.some((b) => b.id === reactie) && o.afhandelingen.some((a) => a.onderwerp === opening)),
      'reactie en afgehandeld',
    );
    expect(bijIlse.overlegronden[0]?.afhandelingen[0]?.doorNaam).toBe('Sanne Smit');
    okValue(await p.ilse.setNotities(dossier, 'Eigen aantekening'));
    expect((await scherm(ilse, dossier))?.notitie).toBe('Eigen aantekening');
  }, 90_000);

  it('access: a grant with an end date, its change and its revocation; the deskundige reads and then no longer', async () => {
    okValue(
      await p.ilse.grant(dossier, {
        userId: dirk.userId,
        scopes: ['leerling'],
        rights: ['read'],
        expiresAt: overDagen(30),
        reden: 'Advies',
      }),
    );
    await zietBij(dirk, dossier, (x) => x.leerling?.voornaam === 'Femke', 'leestoegang');
    okValue(await p.ilse.changeExpiry(dossier, dirk.userId, overDagen(60)));
    const lezers = (await scherm(ilse, dossier))?.lezers ?? [];
    expect(lezers.find((l) => l.userId === dirk.userId)?.expiresAt?.slice(0, 10)).toBe(overDagen(60).slice(0, 10));
    okValue(await p.ilse.revoke(dossier, dirk.userId, 'Advies gegeven'));
    expect((await scherm(ilse, dossier))?.lezers.some((l) => l.userId === dirk.userId)).toBe(false);
    await eventually(async () => (await scherm(dirk, dossier))?.leerling == null, 'de deskundige leest niet meer', 30_000);
  }, 90_000);

  it('the IB links the ouder, who gives toestemming; the IB sees it', async () => {
    okValue(await p.ilse.linkOuder(dossier, olga.userId));
    await zietBij(olga, dossier, (x) => x.hulpvragen.some((h) => h.view.id === hv), 'de ouder leest de hulpvraag');
    okValue(await p.olga.geefToestemming(dossier, hv, 'school-van-voorkeur', true));
    await eventually(
      async () => {
        await tick(olga, ilse);
        await scherm(ilse, dossier);
        const t = p.ilse.toestemming(dossier, hv, 'school-van-voorkeur');
        return t.ok && t.value.gegeven && t.value.ouders.some((o) => o.ouder === olga.userId);
      },
      'toestemming bij de IB',
      30_000,
    );
  }, 90_000);

  it('an aanpak invites the regierolhouder, who then reads the second hulpvraag', async () => {
    okValue(await p.ilse.addAanpak(dossier, hvTso, { behandelaar: rik.userId, omschrijving: 'Gesprekken', startdatum: vandaag() }));
    const d = await zietBij(rik, dossier, (x) => x.hulpvragen.some((h) => h.view.id === hvTso && h.aanpak.length === 1), 'aanpak');
    expect(d.hulpvragen.find((h) => h.view.id === hvTso)?.aanpak[0]?.behandelaar).toBe(rik.userId);
  }, 90_000);

  it('presence, a draft, the export: what a page shows of this dossier', async () => {
    await scherm(sanne, dossier);
    await eventually(
      async () => {
        p.sanne.setAwareness(dossier, { tab: 'overleg', typing: true });
        await tick(ilse);
        await new Promise((r) => setTimeout(r, 100));
        return p.ilse.awareness(dossier).some((a) => a.userId === sanne.userId && a.tab === 'overleg' && a.typing);
      },
      'Ilse ziet Sanne typen',
      30_000,
    );
    const key = `notities/${dossier}`;
    // The page's saveDraft is this call (extension/ui/client-backend.ts).
    await ilse.tc.client.saveDraft(key, dossierOfDraftKey(key) as DossierId, 'Half af');
    expect(await p.ilse.loadDraft(key)).toBe('Half af');
    const exp = okValue(await p.ilse.exportDossier(dossier));
    expect(exp.naam).not.toContain(LEERLING.achternaam);
    expect([...exp.bytes.slice(0, 2)]).toEqual([0x50, 0x4b]);
    expect((await scherm(ilse, dossier))?.toegangLog.some((e) => e.action === 'geëxporteerd')).toBe(true);
  }, 90_000);

  it('the FG reads what the relay served and places a bewaarplicht, which the IB then holds', async () => {
    await eventually(
      async () => {
        await tick(fien);
        const r = await p.fien.servedLog(dossier);
        return r.ok && r.value.rows.some((x) => x.userId === sanne.userId);
      },
      'het bezorglogboek bij de FG',
      30_000,
    );
    const tot = overDagen(5 * 365).slice(0, 10);
    await eventually(
      async () => {
        await tick(fien);
        return fien.tc.client.bewaarOverzicht().some((r) => r.dossierId === dossier && r.kanVastleggen);
      },
      'de FG kan vastleggen',
      60_000,
    );
    okValue(await p.fien.plaatsBewaarplicht(dossier, { reden: 'Bezwaar', tot }));
    await zietBij(ilse, dossier, (x) => x.toegangLog.some((e) => e.action === 'bewaarplicht-vastgelegd'), 'bewaarplicht');
  }, 120_000);

  it('the beheerder: root locked and unlocked, organisations, an invitation withdrawn, another joined and approved', async () => {
    expect(p.ilse.rootUnlocked()).toBe(false);
    beheer.lockRoot();
    expect(beheer.rootUnlocked()).toBe(false);
    expect((await beheer.unlockRoot('verkeerd wachtwoord')).ok).toBe(false);
    okValue(await beheer.unlockRoot(ROOT_PASS));
    expect(beheer.rootUnlocked()).toBe(true);
    expect(okValue(await beheer.organisations()).map((o) => o.naam)).toContain('OBS De Linde');
    expect(okValue(await beheer.wachtendeSleutelvernieuwingen())).toBe(0);

    // Invitations are made by the page's `invite` (client.createInvitation).
    const profiel = (voornaam: string) => ({
      voornaam,
      achternaam: 'Nieuw',
      functie: 'intern begeleider',
      organisatieNaam: 'OBS De Linde',
      email: `${voornaam}@sim.test`,
    });
    const school = { naam: 'OBS De Linde', kind: 'school' as const };
    const weg = okValue(
      await world.beheerder.client.createInvitation({ profile: profiel('Wim'), organisation: school, roles: ['intern-begeleider'] }),
    );
    okValue(await beheer.withdrawInvitation(weg.userId));
    expect(okValue(await beheer.invitations()).find((i) => i.userId === weg.userId)?.status).toBe('ingetrokken');

    const inv = okValue(
      await world.beheerder.client.createInvitation({ profile: profiel('Noor'), organisation: school, roles: ['intern-begeleider'] }),
    );
    const tc = await newClient(world.relay.url);
    extra.push(tc);
    const nieuw = recordingPort(tc.client);
    let sas: string | null = null;
    // The page's `join` (client.joinWithInvitation): waits for the beheerder.
    const joining = tc.client.joinWithInvitation(inv.code, PASS, 60_000, (s) => (sas = s));
    await eventually(() => nieuw.hasPendingJoin(), 'de aanmelding wacht in deze browser', 30_000);
    // The joiner's screen shows the SAS once the beheerder's device has seen the request [R100].
    await eventually(
      async () => {
        okValue(await beheer.processJoinRequests());
        return sas !== null && okValue(await beheer.invitations()).some((i) => i.userId === inv.userId && i.sas.length > 0);
      },
      'de beheerder ziet de aanmelding',
      30_000,
    );
    const wacht = okValue(await beheer.invitations()).find((i) => i.userId === inv.userId);
    expect(wacht?.sas).toEqual([sas]);
    okValue(await beheer.approveJoin(inv.userId, sas as unknown as string));
    okValue(await joining);
    expect(await nieuw.hasPendingJoin()).toBe(false);
    await eventually(
      async () => {
        await tick(ilse);
        return p.ilse.directory().some((e) => e.userId === inv.userId);
      },
      'Noor in de ledenlijst',
      30_000,
    );
  }, 120_000);

  it('a lost device is revoked; a person is ended; a staff change hands the hulpvragen to the colleague', async () => {
    const laptop = await joinExtraDevice(world.beheerder, world.relay.url, ilse.userId);
    extra.push(laptop);
    let andere: string | undefined;
    await eventually(
      async () => {
        await tick(ilse);
        andere = p.ilse.devices().find((d) => !d.ditApparaat && !d.ingetrokken)?.deviceId;
        return andere !== undefined;
      },
      'het tweede apparaat in de lijst',
      30_000,
    );
    okValue(await p.ilse.revokeDevice(andere as unknown as string));
    expect(p.ilse.devices().find((d) => d.deviceId === andere)?.ingetrokken ?? true).toBe(true);

    okValue(await beheer.endPerson(dirk.userId, 'uit-dienst'));
    // The relay ends the ended person's session and refuses her from then on [R56].
    await eventually(() => !dirk.tc.client.syncState().connected, 'de verbinding van de deskundige is beëindigd', 30_000);

    const rapport = okValue(await p.ilse.staffChange(ilse.userId, sanne.userId));
    expect(rapport.hulpvragen).toBeGreaterThan(0);
    await zietBij(sanne, dossier, (x) => x.hulpvragen.find((h) => h.view.id === hv)?.aanvrager === 'Sanne Smit', 'Sanne is de aanvrager');
  }, 120_000);

  it('the beheerder sets the bewaarbeleid; a member fixes dates with it', async () => {
    const beleid = { standaardJaren: 4, perProces: {} };
    expect(okValue(await beheer.stelBewaarbeleidIn(beleid))).toEqual(beleid);
    await eventually(
      async () => {
        await tick(sanne);
        return p.sanne.bewaarbeleid().standaardJaren === 4;
      },
      'Sanne heeft het bewaarbeleid',
      30_000,
    );
  }, 60_000);

  it('a new SWV: its beheerder locks, resets the passphrase with the recovery code and unlocks', async () => {
    const tc = await newClient(world.relay.url, { dbName: 'tweede-swv' });
    extra.push(tc);
    const port = recordingPort(tc.client);
    const gemaakt = okValue(
      await port.createSwv({
        swvNaam: 'SWV Tweede',
        beheerder: { voornaam: 'Tom', achternaam: 'Twee', functie: 'beheerder', organisatieNaam: 'SWV Tweede', email: 'tom@swv.test' },
        passphrase: PASS,
        rootPassphrase: ROOT_PASS,
      }),
    );
    await port.lock();
    expect(tc.client.lockState()).toBe('vergrendeld');
    const nieuwWachtwoord = 'een heel ander wachtwoord hier';
    okValue(await port.resetPassphrase(gemaakt.recoveryCode, nieuwWachtwoord));
    await port.lock();
    expect((await port.unlock(PASS)).ok).toBe(false);
    expect(okValue(await port.unlock(nieuwWachtwoord)).userId).toBe(gemaakt.userId);
  }, 60_000);

  it('every method of the port was walked (a new port method needs a step here)', () => {
    const nietGelopen = CLIENT_PORT_METHODS.filter((m: ClientPortMethod) => !called.has(m));
    expect(nietGelopen).toEqual([]);
  });
});
