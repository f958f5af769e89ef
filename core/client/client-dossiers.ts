// Dossiers: creating one (genesis access record), listing and opening them, the leerling's
// personal data, one's own notities, and the rule that personal data stays in the leerling tab.
import type { GrantSpec } from '../access/acl-record.js';
import { genesisGrants } from '../access/genesis.js';
import { ownerAdminRoles } from '../access/roles.js';
import { roomOf, scopeKind, type Scope } from '../access/rooms.js';
import { asId } from '../model/ids.js';
import type { DossierId, HulpvraagId, OverlegrondeId } from '../model/ids.js';
import { validateLeerling, type Leerling } from '../model/leerling.js';
import { ok, fail, type Result } from '../result.js';
import type { DossierSummary } from './api.js';
import * as docs from './dossier-docs.js';
import { encodeAccessEvent, type DossierState } from './dossier-state.js';
import { privacyOversight } from './client-access.js';
import type { ClientCore } from './client-core.js';
import { newId } from './client-core.js';
import { trustWarnings } from './client-trust.js';
import { setAwareness } from './client-presence.js';
import { submitAccess } from './client-rooms.js';
import { dossierSession } from './dossier-session.js';
import { locked } from './state/session.js';
import { unknownDossier } from './state/dossier-registry.js';

export const fullName = (l: Pick<Leerling, 'voornaam' | 'tussenvoegsel' | 'achternaam'>): string =>
  [l.voornaam, l.tussenvoegsel, l.achternaam].filter((x) => x !== undefined && x !== '').join(' ');

export async function createDossier(c: ClientCore, leerling: Omit<Leerling, 'id'>): Promise<Result<DossierId>> {
  const idr = c.requireId();
  if (!idr.ok) return idr;
  const id = idr.value;
  // A school's IB/COO (000), or for Jonge Kind the SWV's contactpersoon JK or JK-specialist (001) [R11].
  const ownerKind = id.chain.organisation.body.soort;
  const ownerRoles = ownerAdminRoles(ownerKind);
  if (!id.roles.some((r) => ownerRoles.includes(r))) {
    return fail(
      'niet-toegestaan',
      'Alleen een intern begeleider of ondersteuningscoördinator van een school, of bij Jonge Kind de contactpersoon JK of JK-specialist van het samenwerkingsverband, kan een dossier aanmaken.',
    );
  }
  const geldig = validateLeerling(leerling, c.now());
  if (!geldig.ok) return geldig;
  const dossierId = asId<DossierId>(newId(c.provider));
  const st = c.dossierState(dossierId);
  const grants: GrantSpec[] = [...genesisGrants(id.organisationId, id.userId, ['leerling'], ownerKind), privacyOversight(id.swvId)];
  const colleagues = c.directory
    .certificates()
    .filter(
      (c) =>
        c.body.user !== id.userId &&
        ((c.body.organisation === id.organisationId && c.body.roles.some((r) => ownerRoles.includes(r))) ||
          c.body.roles.includes('privacy-officer')),
    );
  const r = await submitAccess(c, st, dossierId, 'genesis', { grants, recipients: colleagues, reason: 'Dossier aangemaakt' });
  if (!r.ok) {
    c.dossiers.forget(dossierId);
    return r;
  }
  // Colleagues and the FG learn of the new dossier through a content-free notification of its toegang room.
  c.notifyLater(
    'status',
    roomOf(dossierId, 'toegang'),
    colleagues.map((c) => c.body.user),
  );
  await c.relay.engine?.watch(roomOf(dossierId, 'toegang'));
  const w = await dossierSession(c, st).write('leerling', (doc) => docs.writeLeerling(doc, leerling));
  if (!w.ok) return w;
  return ok(dossierId);
}

export function listDossiers(c: ClientCore): readonly DossierSummary[] {
  return [...c.dossiers.values()].filter((st) => st.access && c.hasAnyAccess(st)).map((st) => summary(st));
}

function summary(st: DossierState): DossierSummary {
  const leerling = st.docs.get('leerling');
  const l = leerling ? docs.readLeerling(leerling.doc) : null;
  const hv = [...st.docs.keys()].filter((s) => scopeKind(s) === 'hulpvraag').map((s) => asId<HulpvraagId>(s.slice('hulpvraag:'.length)));
  const or = [...st.docs.keys()]
    .filter((s) => scopeKind(s) === 'overlegronde')
    .map((s) => asId<OverlegrondeId>(s.slice('overlegronde:'.length)));
  return { id: st.id, leerlingNaam: l ? fullName(l) : null, hulpvragen: hv, overlegronden: or, waarschuwingen: trustWarnings(st) };
}

export async function openDossier(c: ClientCore, dossierId: DossierId): Promise<Result<DossierSummary>> {
  const st = c.dossiers.get(dossierId);
  if (!st?.access || !c.hasAnyAccess(st)) return unknownDossier();
  const wasOpen = st.open;
  st.open = true;
  // On screen: its rooms are subscribed live; the other dossiers are only watched (P45).
  if (!wasOpen) c.background(c.relay.engine?.focus(dossierId));
  // The access log: who opened the dossier when (sealed; only members can read it). Once per opening:
  // views call this on every change, and logging each call made two open dossiers log each other forever.
  if (!wasOpen && c.relay.engine && c.id) {
    c.background(c.relay.engine.submit(roomOf(dossierId, 'toegang'), 'access', encodeAccessEvent(c.now().getTime(), c.session.deviceCert)));
    st.accessEvents.push({ at: c.now().getTime(), actor: c.id.userId, action: 'geopend' });
  }
  return ok(summary(st));
}

export function closeDossier(c: ClientCore, dossierId: DossierId): void {
  const st = c.dossiers.get(dossierId);
  if (st) {
    st.open = false;
    setAwareness(c, dossierId, null);
    c.relay.engine?.unfocus(dossierId);
  }
}

export function getLeerling(c: ClientCore, dossierId: DossierId): Result<Leerling> {
  const d = c.doc(dossierId, 'leerling');
  if (!d.ok) return d;
  const l = docs.readLeerling(d.value.doc);
  return l ? ok({ ...l, id: asId(`${dossierId}-leerling`) }) : fail('niet-beschikbaar', 'De leerlinggegevens zijn nog niet binnen.');
}

export async function updateLeerling(c: ClientCore, dossierId: DossierId, patch: Partial<Omit<Leerling, 'id'>>): Promise<Result<void>> {
  const cur = getLeerling(c, dossierId);
  if (!cur.ok) return cur;
  const st = c.dossiers.get(dossierId);
  if (!st) return unknownDossier();
  const { id: _id, ...rest } = cur.value;
  const next = { ...rest, ...patch };
  const geldig = validateLeerling(next, c.now());
  if (!geldig.ok) return geldig;
  return dossierSession(c, st).write('leerling', (doc) => docs.writeLeerling(doc, next));
}

export function leerlingOf(st: DossierState): Omit<Leerling, 'id'> | null {
  const d = st.docs.get('leerling');
  return d ? docs.readLeerling(d.doc) : null;
}

export function getNotities(c: ClientCore, dossierId: DossierId): Result<string> {
  const id = c.id;
  if (!id) return locked();
  const st = c.dossiers.get(dossierId);
  const d = st?.docs.get(`notities:${id.userId}`);
  return ok(d ? docs.notitieText(d.doc).toString() : '');
}

export async function setNotities(c: ClientCore, dossierId: DossierId, tekst: string): Promise<Result<void>> {
  const id = c.id;
  if (!id) return locked();
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return unknownDossier();
  const scope: Scope = `notities:${id.userId}`;
  if (!st.access.scopes.has(scope)) {
    const r = await submitAccess(c, st, dossierId, 'grant', {
      grants: [{ principal: { kind: 'user', userId: id.userId }, scope, right: 'write', expiresAt: null }],
      reason: 'Mijn notities',
    });
    if (!r.ok) return r;
  }
  return dossierSession(c, st).write(scope, (doc) => {
    const t = docs.notitieText(doc);
    t.delete(0, t.length);
    t.insert(0, tekst);
  });
}
