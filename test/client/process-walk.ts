// What the process walks share: one dossier filed by the school's IB, and the moves every
// party makes through the client facade only (allowedTransitions, changeStatus, whoCanRead,
// getHulpvraag), each party on its own client against the one real relay.
import { expect } from 'vitest';
import { utf8Encode } from '../../core/crypto/bytes.js';
import { currentEpoch } from '../../core/access/dossier-access.js';
import type { DossierId, HulpvraagId, OrganisationId } from '../../core/model/ids.js';
import type { BetrokkenOrganisatie } from '../../core/client/api.js';
import type { TlvAfgifte } from '../../core/model/tlv-verklaring.js';
import { eventually, type Member, type WorldSpec } from '../sync/harness.js';
import { bestuurVan } from './indienen-world.js';
import { internals, LEERLING, startWorld, type World } from './dossier-world.js';

/** The parties the walks draw from: a PO school's IB, a VO school's COO, the SWV's people, the ouder. */
export const PARTIES = {
  ilse: {
    naam: 'Ilse Bakker',
    functie: 'intern begeleider',
    organisation: { naam: 'OBS De Linde', kind: 'school' },
    roles: ['intern-begeleider'],
  },
  carla: {
    naam: 'Carla Kramer',
    functie: 'ondersteuningscoördinator',
    organisation: { naam: 'Het Baken College', kind: 'school' },
    roles: ['ondersteuningscoordinator'],
  },
  lotte: { naam: 'Lotte Loket', functie: 'medewerker loket', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-loket'] },
  cor: { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'] },
  cees: {
    naam: 'Cees Commissie',
    functie: 'voorzitter CvT',
    organisation: { naam: 'SWV Noord', kind: 'swv' },
    roles: ['commissie-toelaatbaarheid'],
  },
  dirk: { naam: 'Dirk Deskundige', functie: 'orthopedagoog', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['deskundige'] },
  olga: { naam: 'Olga Kwartel', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
} as const satisfies Record<string, WorldSpec>;

/**
 * The parties of a VO aanvraag to the SWV (financieel arrangement, praktijkonderwijs): the school's
 * COO and its bevoegd gezag, the SWV's loket, coördinator, CvT and a deskundige, and the ouder.
 */
export const VO_AANVRAAG: readonly WorldSpec[] = [
  PARTIES.carla,
  bestuurVan('Het Baken College'),
  PARTIES.lotte,
  PARTIES.cor,
  PARTIES.cees,
  PARTIES.dirk,
  PARTIES.olga,
];

/**
 * What every walk file sets up before its tests: a world of `spec` on its own relay, and the walk's
 * dossier opened by the first party (the school) with the party whose role is ouder linked to it.
 */
export async function startWalk(spec: readonly WorldSpec[], titel: string): Promise<{ world: World; walk: ProcessWalk }> {
  const world = await startWorld(spec);
  const [school] = world.members;
  if (!school) throw new Error('een wandeling begint bij de school');
  const ouder = world.members[spec.findIndex((p) => p.roles.includes('ouder'))];
  return { world, walk: await ProcessWalk.open(school, titel, ouder) };
}

/** Every scope of one hulpvraag, as `scopes` lists them. */
export const ALLES = ['formulieren', 'hulpvraag', 'leerling', 'lvs'];

export class ProcessWalk {
  private constructor(
    /** The IB of the owning school: files, and its device (a dossier admin) reconciles access. */
    readonly ib: Member,
    readonly dossier: DossierId,
    readonly titel: string,
  ) {}

  /** The IB opens a dossier for LEERLING; `ouder`, if given, is linked to it (R46). */
  static async open(ib: Member, titel: string, ouder?: Member): Promise<ProcessWalk> {
    const d = await ib.tc.client.createDossier(LEERLING);
    if (!d.ok) throw new Error(d.error.message);
    if (ouder) {
      const l = await ib.tc.client.linkOuder(d.value, ouder.userId);
      if (!l.ok) throw new Error(l.error.message);
    }
    return new ProcessWalk(ib, d.value, titel);
  }

  /** The IB files a hulpvraag with the walk's titel (so with its process and form). */
  async nieuw(omschrijving: string, betrokkenOrganisaties?: readonly BetrokkenOrganisatie[]): Promise<HulpvraagId> {
    const hv = await this.ib.tc.client.createHulpvraag(this.dossier, {
      titel: this.titel,
      omschrijving,
      ...(betrokkenOrganisaties ? { betrokkenOrganisaties: [...betrokkenOrganisaties] } : {}),
    });
    if (!hv.ok) throw new Error(hv.error.message);
    return hv.value;
  }

  /** `m` adds a small text bijlage named `naam` to `hv` and waits until the relay took it. */
  async bijlage(m: Member, hv: HulpvraagId, naam: string): Promise<void> {
    const b = await m.tc.client.addBijlage(this.dossier, hv, { bestandsnaam: naam, mediaType: 'text/plain', bytes: utf8Encode(naam) });
    if (!b.ok) throw new Error(b.error.message);
    expect((await m.tc.client.flush(30_000)).ok).toBe(true);
  }

  async sync(m: Member): Promise<void> {
    await m.tc.client.tick();
    await m.tc.client.refreshViews(this.dossier);
  }

  /** The scope kinds of hulpvraag `hv` (and the dossier-wide `leerling`) that `m` is on the access list for, per the IB's client. */
  scopes(m: Member, hv: HulpvraagId): string[] {
    const r = this.ib.tc.client.whoCanRead(this.dossier);
    const all = r.ok ? (r.value.find((x) => x.userId === m.userId)?.scopes ?? []) : [];
    return all
      .filter((s) => s === 'leerling' || s.endsWith(`:${hv}`))
      .map((s) => s.split(':')[0] ?? s)
      .sort();
  }

  /** `m`'s organisation, as the IB's ledenlijst names it. */
  orgOf(m: Member): OrganisationId {
    const e = this.ib.tc.client.directory().find((d) => d.userId === m.userId);
    if (!e) throw new Error(`${m.naam} niet in de ledenlijst`);
    return e.organisationId;
  }

  /**
   * Whether `m` holds a key box in the current epoch of a scope of `hv` or, unless `metLeerling` is false,
   * of `leerling` (per the IB's access list). Leave the leerling out where other hulpvragen of the dossier
   * rightly keep it for `m`.
   */
  holdsKey(m: Member, hv: HulpvraagId, metLeerling = true): boolean {
    const access = internals(this.ib.tc).dossiers.get(this.dossier)?.access;
    if (!access) return false;
    const keys = [...access.recipients.entries()].filter(([, c]) => c.body.user === m.userId).map(([hex]) => hex);
    const scopes = [...(metLeerling ? ['leerling'] : []), ...['hulpvraag', 'formulieren', 'lvs'].map((k) => `${k}:${hv}`)];
    return [...access.scopes.values()].some(
      (info) => scopes.includes(info.scope) && currentEpoch(info)?.holders.some((h) => keys.includes(h)) === true,
    );
  }

  /** The statuses `m`'s own client offers for `hv`, once it caught up. */
  async moves(m: Member, hv: HulpvraagId): Promise<string[]> {
    await this.sync(m);
    const t = m.tc.client.allowedTransitions(this.dossier, hv);
    return t.ok ? t.value.map((x) => x.to).sort() : [];
  }

  /** What `m`'s own client decrypts of `hv`: its status, or null when it cannot read the hulpvraag. */
  async status(m: Member, hv: HulpvraagId): Promise<string | null> {
    await this.sync(m);
    const v = m.tc.client.getHulpvraag(this.dossier, hv);
    return v.ok ? v.value.status : null;
  }

  /** The status `m`'s own hulpvragen list (the sealed local index the extension's overview shows) gives `hv`, or null when it is not listed. */
  async inLijst(m: Member, hv: HulpvraagId): Promise<string | null> {
    await this.sync(m);
    const l = await m.tc.client.listHulpvragen();
    if (!l.ok) throw new Error(l.error.message);
    return l.value.find((x) => x.hulpvraagId === hv)?.status ?? null;
  }

  /** `m` waits until its client has caught up with status `status` of `hv`. */
  async ziet(m: Member, hv: HulpvraagId, status: string): Promise<void> {
    await eventually(async () => (await this.status(m, hv)) === status, `${m.naam} ziet ${status}`, 30_000);
  }

  /** `m` moves `hv` to `to`; the IB sees it and its device brings access in line with the new status. */
  async naar(m: Member, hv: HulpvraagId, to: string, extra?: { omschrijving?: string; tlv?: TlvAfgifte }): Promise<void> {
    await eventually(async () => (await this.moves(m, hv)).includes(to), `${m.naam} mag naar ${to}`, 30_000);
    const r = await m.tc.client.changeStatus(this.dossier, hv, to, extra?.omschrijving, extra?.tlv ? { tlv: extra.tlv } : undefined);
    if (!r.ok) throw new Error(r.error.message);
    expect((await m.tc.client.flush(30_000)).ok).toBe(true);
    await this.ziet(this.ib, hv, to);
    await this.ib.tc.client.tick();
    expect((await this.ib.tc.client.flush(30_000)).ok).toBe(true);
  }

  /** `m`, having caught up, tries to move `hv` to `to` and is refused for their role, in Dutch; nothing changes. */
  async geweigerd(m: Member, hv: HulpvraagId, to: string, omschrijving = 'Poging zonder de juiste rol'): Promise<void> {
    await this.sync(m);
    const voor = m.tc.client.getHulpvraag(this.dossier, hv);
    const r = await m.tc.client.changeStatus(this.dossier, hv, to, omschrijving);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('niet-toegestaan-voor-rol');
      expect(r.error.message).toBe(`De statuswijziging naar '${to}' is niet toegestaan voor uw rol.`);
    }
    const na = m.tc.client.getHulpvraag(this.dossier, hv);
    expect(na.ok && na.value.status).toBe(voor.ok && voor.value.status);
  }
}
