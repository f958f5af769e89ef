// Drafts, filters and read markers: sealed with this device's local key, never synced. A draft
// of a dossier is purged with it; one of no dossier (`null`) stays.
import { utf8Decode, utf8Encode } from '../crypto/bytes.js';
import { asId, type DossierId } from '../model/ids.js';
import { openLocal, sealLocal } from '../store/local-seal.js';
import type { ClientCore } from './client-core.js';

export async function saveDraft(c: ClientCore, key: string, dossierId: DossierId | null, text: string): Promise<void> {
  const id = c.id;
  if (!id) throw new Error('Concept opslaan kan alleen ontgrendeld');
  await c.store.putDraft({
    id: key,
    dossier: dossierId ?? '',
    updatedAt: c.now().getTime(),
    bytes: await sealLocal(c.provider, id.localKey, 'draft', utf8Encode(text)),
  });
}

export async function loadDraft(c: ClientCore, key: string): Promise<string | null> {
  const id = c.id;
  const row = await c.store.getDraft(key);
  if (!id || !row) return null;
  const opened = await openLocal(c.provider, id.localKey, 'draft', row.bytes);
  return opened.ok ? utf8Decode(opened.value) : null;
}

/** The dossier a draft belongs to, from its key (`dossier/<id>/…`, `notities/<id>`): purged with it. Else null. */
export function dossierOfDraftKey(key: string): DossierId | null {
  const id = /^(?:dossier|notities)\/([^/]+)/.exec(key)?.[1];
  return id ? asId<DossierId>(id) : null;
}
