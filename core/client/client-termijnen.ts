// The deadlines of a bezwaar tegen een TLV-besluit as this person sees them
// (issue 20): the process data (BEZWAAR_TERMIJNEN, bezwaarTermijnen) applied
// to the dossier's own dates — the TLV decision (the end status of the TLV
// hulpvraag decided last before the bezwaar), the day the bezwaar was
// registered, and when each status was reached. The extension's meldingen
// show the open and late ones.
import type { DossierId, HulpvraagId } from '../model/ids.js';
import { asId } from '../model/ids.js';
import { scopeKind } from '../access/rooms.js';
import { processOfHulpvraag } from '../processes/process-set.js';
import { bezwaarTermijnen as termijnenVan, BEZWAAR_TLV, type TermijnStand } from '../processes/bezwaar-tlv.js';
import { ok, fail, type Result } from '../result.js';
import type { ClientCore } from './client-core.js';
import { getHulpvraag } from './client-hulpvragen.js';

export function bezwaarTermijnen(c: ClientCore, dossierId: DossierId, hulpvraagId: HulpvraagId): Result<readonly TermijnStand[]> {
  const hv = getHulpvraag(c, dossierId, hulpvraagId);
  if (!hv.ok) return hv;
  if (hv.value.processId !== BEZWAAR_TLV.id) return fail('geen-bezwaar', 'Deze hulpvraag is geen bezwaar tegen een TLV-besluit.');
  const ontvangenOp = hv.value.aangemaaktOp.slice(0, 10);
  const st = c.dossiers.get(dossierId);
  let besluitTlvOp: string | null = null;
  for (const scope of st?.access?.scopes.keys() ?? []) {
    if (scopeKind(scope) !== 'hulpvraag') continue;
    const tlv = getHulpvraag(c, dossierId, asId<HulpvraagId>(scope.slice('hulpvraag:'.length)));
    if (!tlv.ok || tlv.value.id === hulpvraagId) continue;
    const def = processOfHulpvraag(tlv.value);
    if (!def.ok || !def.value.id.includes('tlv') || def.value.id === BEZWAAR_TLV.id) continue;
    // The decision: the last time this TLV reached an end status, on or before the bezwaar.
    const ends = new Set(def.value.statuses.filter((s) => s.end).map((s) => s.status));
    for (const h of tlv.value.history) {
      const day = h.at.slice(0, 10);
      if (ends.has(h.to) && day <= ontvangenOp && (besluitTlvOp === null || day > besluitTlvOp)) besluitTlvOp = day;
    }
  }
  if (besluitTlvOp === null)
    return fail('besluit-onbekend', 'Er is in dit dossier (voor u) geen TLV-besluit te vinden waartegen dit bezwaar loopt.');
  const bereikt = new Map<string, string>();
  for (const h of hv.value.history) if (!bereikt.has(h.to)) bereikt.set(h.to, h.at.slice(0, 10));
  return ok(termijnenVan({ besluitTlvOp, ontvangenOp, bereikt, vandaag: c.now().toISOString().slice(0, 10) }));
}
