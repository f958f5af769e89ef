// The retention date of a dossier as this person can compute it (issue 20):
// from the end statuses of its hulpvragen and the process retention data
// (core/processes/retention.ts). Someone who cannot read every hulpvraag (the FG)
// gets no date: for them the signed retention record in the access list is
// meant, which is not built yet (docs/DPIA.md §5).
import { scopeKind } from '../access/rooms.js';
import { asId, type DossierId, type HulpvraagId } from '../model/ids.js';
import { processOfHulpvraag } from '../processes/index.js';
import { dossierBewaarTot, type BewaarStand, type HulpvraagEinde } from '../processes/retention.js';
import { ok, fail, type Result } from '../result.js';
import type { ClientCore } from './client-core.js';
import { getHulpvraag } from './client-hulpvragen.js';

export function bewaartermijn(c: ClientCore, dossierId: DossierId): Result<BewaarStand> {
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return fail('dossier-onbekend', 'Onbekend dossier.');
  const einden: HulpvraagEinde[] = [];
  for (const scope of st.access.scopes.keys()) {
    if (scopeKind(scope) !== 'hulpvraag') continue;
    const hv = getHulpvraag(c, dossierId, asId<HulpvraagId>(scope.slice('hulpvraag:'.length)));
    if (!hv.ok) return fail('onvolledig', 'U kunt niet alle hulpvragen van dit dossier lezen; de bewaartermijn is daarom hier niet te bepalen.');
    const def = processOfHulpvraag(hv.value);
    const end = def.ok && def.value.statuses.find((s) => s.status === hv.value.status)?.end === true;
    const last = hv.value.history.at(-1);
    einden.push({ processId: hv.value.processId, status: hv.value.status, eindeOp: end && last ? last.at.slice(0, 10) : null });
  }
  return ok(dossierBewaarTot(einden, []));
}
