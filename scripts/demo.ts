// `npm run demo`: a headless walk through Kindkluis end to end, in Dutch, for a
// newcomer or a privacy officer. It starts a relay (or uses --relay), creates
// an SWV with a school and people, files a TLV VSO for a leerling, walks it to
// *TLV afgegeven* with a bijlage, runs an overlegronde with @mentions, removes
// a participant, and finally scans the relay's data and every client store
// for the leerling's name.
//
//   npm run demo -- [--relay ws://…] [--data DIR] [--leerling "Voornaam Achternaam"] [--keep]
import { parseArgs } from 'node:util';
import { argsErrorInDutch } from '../sync-server/args-error.js';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { parseConfig } from '../sync-server/config.js';
import { startRelay, type RunningRelay } from '../sync-server/main.js';
import { silentLogger } from '../sync-server/log.js';
import { nobleProvider } from '../core/crypto/noble-provider.js';
import { createKindkluisClient, type KindkluisClientImpl } from '../core/client/client.js';
import type { WebSocketLike } from '../core/sync/web-socket.js';
import type { InvitationInput } from '../core/client/api.js';
import { findMarkerInBytes, scanDatabaseForMarker } from '../core/store/marker-scan.js';
import { asId, type DossierId, type FormulierId, type HulpvraagId, type UserId } from '../core/model/ids.js';
import { formForHulpvraagTitel } from '../core/forms/definitions/form-set.js';
import { completeAnswers } from './form-answers.js';
import type { Result } from '../core/result.js';

const PASS = 'demo-wachtwoord-lang-genoeg';
/** The root key's own passphrase (R102). */
const ROOT_PASS = 'demo-basissleutel-wachtwoord';
const KDF = { name: 'argon2id', m: 1024, t: 1, p: 1 } as const;

interface Person {
  readonly naam: string;
  readonly client: KindkluisClientImpl;
  readonly factory: IDBFactory;
  userId: UserId;
}

const say = (line: string): void => console.log(line);
let step = 0;
const stap = (text: string): void => say(`\nStap ${++step}: ${text}`);

function must<T>(r: Result<T>, what: string): T {
  if (!r.ok) throw new Error(`${what} mislukt: ${r.error.message}`);
  return r.value;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Wachten duurde te lang: ${what}`);
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir)) {
    const p = join(dir, name);
    if ((await stat(p)).isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        relay: { type: 'string' },
        data: { type: 'string' },
        leerling: { type: 'string', default: 'Femke Zonnebloemveld' },
        keep: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    console.error(
      `${argsErrorInDutch(e)}.\nGebruik: npm run demo -- [--relay ws://…] [--data MAP] [--leerling "Voornaam Achternaam"] [--keep]`,
    );
    return 2;
  }
  const leerlingNaam = (values.leerling ?? '').trim();
  const [voornaam, ...rest] = leerlingNaam.split(/\s+/);
  if (!voornaam || rest.length === 0) {
    console.error('Geef de leerling een voornaam en achternaam, bv. --leerling "Femke Zonnebloemveld".');
    return 2;
  }
  const achternaam = rest.join(' ');

  say('Kindkluis-demo: een hulpvraag TLV VSO van begin tot eind, versleuteld van apparaat tot apparaat.');
  let running: RunningRelay | null = null;
  let dataDir: string | null = null;
  let url = values.relay;
  if (url === undefined) {
    dataDir = values.data ?? (await mkdtemp(join(tmpdir(), 'kindkluis-demo-')));
    const cfg = parseConfig(['--port', '0', '--data', dataDir, '--allow-swv-registration']);
    if (!cfg.ok) throw new Error(cfg.error.message);
    running = await startRelay(cfg.value, silentLogger);
    url = running.url;
    stap(`relay gestart op ${url}; gegevensmap ${dataDir}`);
  } else stap(`bestaande relay gebruikt: ${url}`);
  const relayUrl = url;

  const makeClient = async (naam: string): Promise<Person> => {
    const factory = new IDBFactory();
    const client = (await createKindkluisClient({
      indexedDb: { indexedDB: factory, IDBKeyRange },
      dbName: 'kindkluis',
      provider: nobleProvider,
      webSocket: (u) => new WebSocket(u) as unknown as WebSocketLike,
      relayUrl,
      kdf: KDF,
    })) as KindkluisClientImpl;
    return { naam, client, factory, userId: '' as UserId };
  };

  stap('samenwerkingsverband "SWV Passend Onderwijs Eemland" aanmaken; de beheerder houdt de basissleutel');
  const beheerder = await makeClient('Bram Beheer');
  const me = must(
    await beheerder.client.createSwv({
      swvNaam: 'SWV Passend Onderwijs Eemland',
      beheerder: {
        voornaam: 'Bram',
        achternaam: 'Beheer',
        functie: 'beheerder',
        organisatieNaam: 'SWV Passend Onderwijs Eemland',
        email: 'beheer@swv.example',
      },
      passphrase: PASS,
      rootPassphrase: ROOT_PASS,
    }),
    'SWV aanmaken',
  );
  beheerder.userId = me.userId;

  const invite = async (
    naam: string,
    functie: string,
    organisation: InvitationInput['organisation'],
    roles: InvitationInput['roles'],
  ): Promise<Person> => {
    const [v, ...a] = naam.split(' ');
    const inv = must(
      await beheerder.client.createInvitation({
        profile: {
          voornaam: v ?? naam,
          achternaam: a.join(' '),
          functie,
          organisatieNaam: 'naam' in organisation ? organisation.naam : '',
          email: `${(v ?? 'x').toLowerCase()}@example.org`,
        },
        organisation,
        roles,
      }),
      `uitnodiging ${naam}`,
    );
    const p = await makeClient(naam);
    // The invitee reads the SAS on her screen back to the beheerder, who approves with it (R100).
    let sas: string | null = null;
    const joining = p.client.joinWithInvitation(inv.code, PASS, undefined, (x) => (sas = x));
    let joined: Result<unknown> | null = null;
    void joining.then((r) => (joined = r));
    let approved = false;
    await until(async () => {
      await beheerder.client.processJoinRequests();
      if (!approved && sas !== null) approved = (await beheerder.client.approveJoin(inv.userId, sas)).ok;
      return joined !== null;
    }, `aanmelding ${naam}`);
    const r = must(await joining, `aanmelding ${naam}`);
    p.userId = r.userId;
    say(`  ${naam} (${functie}) heeft zich aangemeld met een uitnodigingscode; certificaat uitgegeven door het SWV.`);
    return p;
  };

  stap('school, medewerkers, jeugdhulp en ouder uitnodigen');
  const school = { naam: 'Vathorst College', kind: 'school' } as const;
  const swv = { naam: 'SWV Passend Onderwijs Eemland', kind: 'swv' } as const;
  const ib = await invite('Ilse Bakker', 'intern begeleider', school, ['intern-begeleider']);
  const coo = await invite('Cor Visser', 'coördinator', swv, ['swv-coordinator', 'swv-loket']);
  const cvt = await invite('Karin de Wit', 'lid commissie van toelaatbaarheid', swv, ['commissie-toelaatbaarheid']);
  const jeugd = await invite('Jasper Mulder', 'jeugdhulpverlener', { naam: 'Jeugdhulp Eemland', kind: 'zorgpartner' }, ['professional']);
  const ouder = await invite('Olga Smit', 'ouder', { naam: 'Ouders', kind: 'ouders' }, ['ouder']);
  const bestuur = await invite('Bert de Boer', 'bestuurder', school, ['bevoegd-gezag']);
  const people = [beheerder, ib, coo, cvt, jeugd, ouder, bestuur];
  for (const p of people.slice(1)) {
    await until(async () => {
      await p.client.tick();
      return p.client.directory().length >= people.length;
    }, `ledenlijst bij ${p.naam}`);
  }

  stap(`IB maakt een dossier voor de leerling (naam alleen in het tabblad Leerling) en een hulpvraag TLV VSO`);
  const d: DossierId = must(
    await ib.client.createDossier({ voornaam, achternaam, geboortedatum: '2011-03-14', adressen: [], ouders: [] }),
    'dossier',
  );
  const h: HulpvraagId = must(
    await ib.client.createHulpvraag(d, {
      titel: 'TLV VSO',
      omschrijving: 'Leerling heeft intensieve ondersteuning nodig die de school niet kan bieden.',
      labels: ['vso'],
    }),
    'hulpvraag',
  );
  const status = (): string => {
    const v = ib.client.getHulpvraag(d, h);
    return v.ok ? v.value.status : '?';
  };
  say(`  status: ${status()}`);

  const sync = async (p: Person, want: string): Promise<void> => {
    await until(async () => {
      await p.client.tick();
      await p.client.refreshViews();
      const v = p.client.getHulpvraag(d, h);
      return v.ok && v.value.status === want;
    }, `${p.naam} ziet status ${want}`);
  };
  const change = async (
    p: Person,
    to: string,
    omschrijving?: string,
    extra?: Parameters<KindkluisClientImpl['changeStatus']>[4],
  ): Promise<void> => {
    await sync(
      p,
      status() === '?'
        ? to
        : p.client.getHulpvraag(d, h).ok
          ? (p.client.getHulpvraag(d, h) as { value: { status: string } }).value.status
          : to,
    );
    must(await p.client.changeStatus(d, h, to, omschrijving, extra), `status ${to}`);
    must(await p.client.flush(15_000), 'versturen');
    say(`  ${p.naam} zet de status op: ${to}`);
  };

  stap('IB vult het formulier in, het bevoegd gezag ondertekent digitaal, de IB voegt het OPP en het aanvraagformulier van ouders toe');
  const formulier = formForHulpvraagTitel('TLV VSO');
  if (!formulier) throw new Error('TLV VSO heeft geen formulier');
  const formulierId = asId<FormulierId>(formulier.id);
  const antwoorden = completeAnswers(formulier);
  must(await ib.client.setFormValues(d, h, formulierId, antwoorden), 'formulier');
  must(await ib.client.flush(15_000), 'versturen');
  await until(async () => {
    await bestuur.client.tick();
    const f = bestuur.client.getForm(d, h);
    return f.ok && Object.keys(antwoorden).every((k) => JSON.stringify(f.value[k]) === JSON.stringify(antwoorden[k]));
  }, 'formulier bij het bevoegd gezag');
  const getekend = must(await bestuur.client.signForm(d, h, formulierId), 'ondertekenen');
  must(await bestuur.client.flush(15_000), 'versturen');
  say(`  ondertekend door ${getekend.naam} (${getekend.functie}, ${getekend.organisatie})`);
  await until(async () => {
    await ib.client.tick();
    const v = await ib.client.formSignature(d, h, formulierId);
    return v.ok && v.value !== null && v.value.geldig;
  }, 'handtekening bij de IB');
  for (const soort of ['opp', 'aanvraagformulier-ouders'] as const) {
    must(
      await ib.client.addBijlage(d, h, {
        bestandsnaam: `${soort}.txt`,
        mediaType: 'text/plain',
        bytes: new TextEncoder().encode(`${soort} (demo)`),
        soort,
      }),
      'bijlage',
    );
  }

  stap('IB dient de aanvraag in');
  must(await ib.client.changeStatus(d, h, 'TLV aanvraag indienen'), 'indienen');
  must(await ib.client.flush(15_000), 'versturen');
  await ib.client.tick();
  must(await ib.client.flush(15_000), 'versturen');
  say(`  status: ${status()} — het SWV krijgt via de toegangslijst sleutels voor de hulpvraag.`);

  stap('coördinator stelt vragen');
  await sync(coo, 'TLV aanvraag indienen');
  await change(coo, 'TLV vragen gesteld', 'Graag het ontwikkelingsperspectiefplan en het verslag van het laatste MDO toevoegen.');

  stap('IB voegt een bijlage toe; de status gaat vanzelf naar aangevuld');
  await sync(ib, 'TLV vragen gesteld');
  const bijlage = must(
    await ib.client.addBijlage(d, h, {
      bestandsnaam: 'opp.txt',
      mediaType: 'text/plain',
      bytes: new TextEncoder().encode('Ontwikkelingsperspectiefplan (demo)'),
    }),
    'bijlage',
  );
  must(await ib.client.flush(15_000), 'versturen');
  say(`  bijlage ${bijlage.bestandsnaam} versleuteld geüpload (${bijlage.grootte} bytes); status: ${status()}`);

  stap('commissie van toelaatbaarheid geeft de TLV af');
  await sync(cvt, 'TLV aanvraag aangevuld');
  const gelezen = must(await cvt.client.readBijlage(d, h, bijlage.id), 'bijlage lezen');
  say(`  ${cvt.naam} opent de bijlage: "${new TextDecoder().decode(gelezen)}"`);
  const year = new Date().getUTCMonth() >= 7 ? new Date().getUTCFullYear() + 1 : new Date().getUTCFullYear();
  await change(cvt, 'TLV afgegeven', 'Besluit conform advies.', {
    tlv: {
      categorie: 'laag',
      startdatum: new Date().toISOString().slice(0, 10),
      einddatum: `${year + 1}-07-31`,
      deskundigen: [
        { naam: 'Drs. A. Orthopedagoog', functie: 'orthopedagoog' },
        { naam: 'Drs. B. Psycholoog', functie: 'psycholoog' },
      ],
    },
  });

  stap('statushistorie (afgeleid uit ondertekende gebeurtenissen, bij iedereen gelijk)');
  await sync(ib, 'TLV afgegeven');
  const view = must(ib.client.getHulpvraag(d, h), 'hulpvraag');
  for (const e of view.history) say(`  ${e.at}  ${e.from} → ${e.to}  door ${e.actorNaam}${e.omschrijving ? ` (${e.omschrijving})` : ''}`);

  stap('overlegronde met jeugdhulp en ouder, berichten met @vermeldingen');
  // Only an ouder linked to this dossier takes part in an overlegronde (R132): the IB links Olga first.
  must(await ib.client.linkOuder(d, ouder.userId), 'ouder koppelen');
  must(await ib.client.flush(15_000), 'versturen');
  const einde = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
  const or = must(
    await ib.client.startOverlegronde(d, h, {
      titel: 'Afstemming zorg thuis en school',
      omschrijving: 'Graag uw reactie voor de einddatum.',
      einddatum: einde,
      deelnemers: [coo.userId, jeugd.userId, ouder.userId],
    }),
    'overlegronde',
  );
  must(await ib.client.flush(15_000), 'versturen');
  must(await ib.client.postMessage(d, or, 'Start', 'Welkom @jasper.mulder en @olga.smit, wat zien jullie thuis?'), 'bericht');
  must(await ib.client.flush(15_000), 'versturen');
  for (const p of [jeugd, ouder]) {
    await until(async () => {
      await p.client.tick();
      const v = p.client.getOverlegronde(d, or);
      return v.ok && v.value.berichten.length >= 1;
    }, `${p.naam} ziet de overlegronde`);
  }
  must(
    await jeugd.client.postMessage(d, or, 'Reactie jeugdhulp', 'Thuis gaat het beter sinds de nieuwe afspraken, @ilse.bakker.'),
    'bericht',
  );
  must(await jeugd.client.flush(15_000), 'versturen');
  await until(async () => {
    await ib.client.tick();
    const v = ib.client.getOverlegronde(d, or);
    return v.ok && v.value.berichten.length >= 2;
  }, 'IB ziet de reactie');
  for (const m of must(ib.client.getOverlegronde(d, or), 'overlegronde').berichten)
    say(`  ${m.auteurNaam}: "${m.titel}" (vermeldt ${m.mentions.length})`);

  stap('jeugdhulpverlener wordt uit het dossier verwijderd: sleutels worden vernieuwd');
  must(await ib.client.revoke(d, jeugd.userId, 'Einde betrokkenheid'), 'intrekken');
  must(await ib.client.flush(15_000), 'versturen');
  must(
    await ib.client.postMessage(d, or, 'Na verwijdering', 'Dit bericht is alleen voor de overgebleven deelnemers, @olga.smit.'),
    'bericht',
  );
  must(await ib.client.flush(15_000), 'versturen');
  await until(async () => {
    await ouder.client.tick();
    const v = ouder.client.getOverlegronde(d, or);
    return v.ok && v.value.berichten.length >= 3;
  }, 'ouder ziet het nieuwe bericht');
  await new Promise((r) => setTimeout(r, 500));
  await jeugd.client.tick();
  const jv = jeugd.client.getOverlegronde(d, or);
  const jeugdZiet = jv.ok ? jv.value.berichten.length : 0;
  const bewaard = await jeugd.client.holdsDossier(d);
  say(
    `  ouder ziet ${must(ouder.client.getOverlegronde(d, or), 'o').berichten.length} berichten; de verwijderde jeugdhulpverlener kan er ${jeugdZiet} lezen.`,
  );
  say(
    `  het apparaat van de jeugdhulpverlener ${bewaard ? 'bewaart nog versleutelde gegevens van dit dossier' : 'heeft alle gegevens en sleutels van dit dossier gewist'}.`,
  );

  stap('privacyoverzicht: wie kan wat lezen, en het toegangslogboek');
  for (const r of must(ib.client.whoCanRead(d), 'lezers'))
    say(`  ${r.naam} (${r.organisatie}): ${r.scopes.length} onderdelen, ${r.rights.join('/')}`);
  say(`  logboek: ${must(ib.client.accessLog(d), 'logboek').length} regels`);

  stap(`privacycontrole: zoeken naar "${leerlingNaam}" in de opslag van de relay en van alle apparaten`);
  for (const p of people) await p.client.flush(5_000);
  let files = 0;
  let hits = 0;
  let bytes = 0;
  if (dataDir !== null) {
    for (const f of await filesUnder(dataDir)) {
      const b = new Uint8Array(await readFile(f));
      files++;
      bytes += b.length;
      for (const part of [leerlingNaam, voornaam, achternaam]) if (findMarkerInBytes(b, part).length > 0) hits++;
    }
  }
  let records = 0;
  for (const p of people) {
    for (const part of [leerlingNaam, achternaam]) {
      const rep = await scanDatabaseForMarker('kindkluis', { indexedDB: p.factory, IDBKeyRange }, part);
      records += part === leerlingNaam ? rep.records : 0;
      hits += rep.hits.length;
    }
  }
  say(
    `  relay: ${files} bestanden (${bytes} bytes); apparaten: ${people.length} databases, ${records} records (UTF-8 en UTF-16 doorzocht).`,
  );
  const verdict =
    hits === 0
      ? `Oordeel: GEEN leesbare naam gevonden — "${leerlingNaam}" staat nergens onversleuteld op schijf of in IndexedDB.`
      : `Oordeel: GEVONDEN — "${leerlingNaam}" staat ${hits} keer leesbaar opgeslagen. Dit is een fout.`;
  say(`\n${verdict}`);

  for (const p of people) await p.client.close();
  if (running !== null) {
    if (values.keep) say(`\nDe relay blijft draaien op ${running.url} (stoppen met Ctrl+C).`);
    else {
      await running.stop();
      // A folder the demo made itself is removed; one given with --data stays for inspection.
      if (values.data === undefined && dataDir !== null) {
        await rm(dataDir, { recursive: true, force: true });
        say(`Tijdelijke gegevensmap ${dataDir} verwijderd (bewaren: --data MAP of --keep).`);
      }
    }
  }
  return hits === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`\nDe demo is gestopt: ${e instanceof Error ? e.message : String(e)}`);
    // Clients and the relay may still hold sockets open: stop now instead of hanging until a timeout.
    process.exit(1);
  },
);
