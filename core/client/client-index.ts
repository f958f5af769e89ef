// The sealed local index of hulpvragen (the list view) and the sealed cache of each room's
// merged state; refreshing the verified views they are made from.
import * as Y from 'yjs';
import { utf8Decode, utf8Encode } from '../crypto/bytes.js';
import { roomOf, scopeKind } from '../access/rooms.js';
import { asId } from '../model/ids.js';
import type { DossierId, HulpvraagId, OverlegrondeId } from '../model/ids.js';
import { ok, fail, type Result } from '../result.js';
import { openLocal, sealLocal } from '../store/local-seal.js';
import type { HulpvraagListItem } from './api.js';
import * as docs from './dossier-docs.js';
import type { DossierState } from './dossier-state.js';
import type { ClientCore } from './client-core.js';
import { fullName, leerlingOf } from './client-dossiers.js';
import { getHulpvraag } from './client-hulpvragen.js';
import { verifyMessagesOf } from './client-overlegronde.js';
import { workflowOf } from './client-workflow.js';

/** Verifies every not yet verified status event of one dossier's documents, or of all (async). */
export async function refreshViews(c: ClientCore, dossierId?: DossierId): Promise<void> {
  const targets = dossierId === undefined ? [...c.dossiers.values()] : [c.dossiers.get(dossierId)].filter((st) => st !== undefined);
  for (const st of targets) await refreshViewsOf(c, st);
}

export async function listHulpvragen(c: ClientCore): Promise<Result<readonly HulpvraagListItem[]>> {
  const id = c.id;
  if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
  await flushIndex(c);
  const out: HulpvraagListItem[] = [];
  for (const row of await c.store.listIndex()) {
    const opened = await openLocal(c.provider, id.localKey, 'index', row.bytes);
    if (!opened.ok) continue;
    try {
      out.push(JSON.parse(utf8Decode(opened.value)) as HulpvraagListItem);
    } catch {
      continue;
    }
  }
  return ok(out.sort((a, b) => b.gewijzigdOp.localeCompare(a.gewijzigdOp)));
}

/** Writes the sealed list entries and the sealed document cache of changed dossiers. */
export async function flushIndex(c: ClientCore): Promise<void> {
  if (c.indexTimer !== null) clearTimeout(c.indexTimer);
  c.indexTimer = null;
  const id = c.id;
  if (!id) return;
  const dirty = [...c.dirtyIndex];
  c.dirtyIndex.clear();
  for (const dossierId of dirty) {
    const st = c.dossiers.get(dossierId);
    if (!st) continue;
    await refreshViewsOf(c, st);
    const leerling = leerlingOf(st);
    for (const scope of st.docs.keys()) {
      if (scopeKind(scope) !== 'hulpvraag') continue;
      const hvId = asId<HulpvraagId>(scope.slice('hulpvraag:'.length));
      const v = getHulpvraag(c, dossierId, hvId);
      if (!v.ok) continue;
      const meta = docs.readHulpvraagMeta(st.docs.get(scope)?.doc ?? new Y.Doc());
      const item: HulpvraagListItem = {
        hulpvraagId: hvId,
        dossierId,
        titel: v.value.titel,
        status: v.value.status,
        statusLabel: v.value.statusLabel,
        leerlingNaam: leerling ? fullName(leerling) : null,
        school: meta?.schoolNaam ?? '',
        coordinator: v.value.coordinator ? c.nameOf(v.value.coordinator) : null,
        aangemaaktOp: v.value.aangemaaktOp,
        gewijzigdOp: v.value.history.at(-1)?.at ?? v.value.aangemaaktOp,
        labels: v.value.labels,
      };
      await c.store.putIndex({ id: hvId, dossier: dossierId, bytes: await sealLocal(c.provider, id.localKey, 'index', utf8Encode(JSON.stringify(item))) });
    }
    // Sealed local cache of each room's merged state: fast opening without replaying the log.
    for (const [scope, d] of st.docs) {
      const room = roomOf(dossierId, scope);
      const seq = await c.store.cursor(room);
      await c.store.putDocCache({ room, dossier: dossierId, seq, bytes: await sealLocal(c.provider, id.localKey, `doc:${room}`, d.state()) });
    }
  }
  if (dirty.length > 0) c.emit({ kind: 'index' });
}

async function refreshViewsOf(c: ClientCore, st: DossierState): Promise<void> {
  for (const scope of st.docs.keys()) {
    if (scopeKind(scope) === 'hulpvraag') await workflowOf(c, st, asId<HulpvraagId>(scope.slice('hulpvraag:'.length)));
    if (scopeKind(scope) === 'overlegronde') await verifyMessagesOf(c, st, asId<OverlegrondeId>(scope.slice('overlegronde:'.length)));
  }
}
