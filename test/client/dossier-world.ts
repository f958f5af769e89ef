// What the client tests share: a relay on 127.0.0.1 with an SWV and its people,
// closed again afterwards, and a dossier for a made-up leerling with one hulpvraag.
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import type { ClientCore } from '../../core/client/client-core.js';
import { buildWorld, removeDir, startTestRelay, type Member, type TestClient, type TestRelay, type WorldSpec } from '../sync/harness.js';

/** A client's internals, for tests that must reach under the facade (forgeries, held store calls). */
export const internals = (tc: { readonly client: unknown }): ClientCore => (tc.client as { readonly core: ClientCore }).core;

/** The made-up leerling of the client tests (a marker for PII checks too). */
export const LEERLING = { voornaam: 'Fenna', achternaam: 'Kwartel', geboortedatum: '2013-04-05', adressen: [], ouders: [] };

/** Two intern begeleiders of one school (Ilse, who files, and her colleague Sanne): where many client tests start. */
export const TWO_IBS: readonly WorldSpec[] = [
  {
    naam: 'Ilse Bakker',
    functie: 'intern begeleider',
    organisation: { naam: 'OBS De Linde', kind: 'school' },
    roles: ['intern-begeleider'],
  },
  {
    naam: 'Sanne Smit',
    functie: 'intern begeleider',
    organisation: { naam: 'OBS De Linde', kind: 'school' },
    roles: ['intern-begeleider'],
  },
];

export interface World {
  readonly relay: TestRelay;
  readonly beheerder: TestClient;
  readonly members: Member[];
  /** Also closes people added later through `members.push`. */
  close(): Promise<void>;
}

/** `relayArgs`: extra relay options, e.g. lower limits (`['--open-rooms', '3']`). */
export async function startWorld(specs: readonly WorldSpec[], relayArgs: readonly string[] = []): Promise<World> {
  const relay = await startTestRelay(undefined, relayArgs);
  const { beheerder, members } = await buildWorld(relay.url, specs);
  return {
    relay,
    beheerder,
    members,
    async close() {
      for (const m of members) await m.tc.client.close();
      await beheerder.client.close();
      await relay.stop();
      await removeDir(relay.dataDir);
    },
  };
}

/** `creator` (IB or COO) opens a dossier for LEERLING and files one hulpvraag. */
export async function fileHulpvraag(
  creator: Member,
  titel = 'TLV VSO',
  omschrijving = 'Aanvraag voor passend onderwijs',
): Promise<{ dossier: DossierId; hv: HulpvraagId }> {
  const c = creator.tc.client;
  const d = await c.createDossier(LEERLING);
  if (!d.ok) throw new Error(d.error.message);
  const hv = await c.createHulpvraag(d.value, { titel, omschrijving });
  if (!hv.ok) throw new Error(hv.error.message);
  return { dossier: d.value, hv: hv.value };
}
