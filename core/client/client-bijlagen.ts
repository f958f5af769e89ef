// Bijlagen (attachments) of a hulpvraag: encrypted on this device, kept locally, uploaded
// to the relay when online, fetched and decrypted when read.
import { utf8Decode, utf8Encode, fromBase64Url } from '../crypto/bytes.js';
import { encryptAttachment, decryptAttachment } from '../crypto/attachment.js';
import { atLeast } from '../access/principal.js';
import { roomOf, type Scope } from '../access/rooms.js';
import { transition } from '../workflow/engine.js';
import { asId } from '../model/ids.js';
import type { BijlageId, DossierId, HulpvraagId, StatusEventId } from '../model/ids.js';
import type { BijlageMeta, BijlageSoort } from '../model/hulpvraag.js';
import type { StatusEvent } from '../model/status-event.js';
import { ok, fail, type Result } from '../result.js';
import * as docs from './dossier-docs.js';
import type { ClientCore } from './client-core.js';
import { newId } from './client-core.js';
import { appendEvent } from './client-hulpvragen.js';
import { dossierSession } from './dossier-session.js';
import { currentState } from './client-workflow.js';
import { locked } from './state/session.js';
import { unknownDossier } from './state/dossier-registry.js';

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export async function addBijlage(
  c: ClientCore,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  file: { readonly bestandsnaam: string; readonly mediaType: string; readonly bytes: Uint8Array; readonly soort?: BijlageSoort },
): Promise<Result<BijlageMeta>> {
  const id = c.id;
  if (!id) return locked();
  const st = c.dossiers.get(dossierId);
  if (!st) return unknownDossier();
  const scope: Scope = `hulpvraag:${hulpvraagId}`;
  if (!atLeast(c.myAccess(st, scope), 'write')) return fail('geen-schrijfrecht', 'U mag bij deze hulpvraag geen bijlagen toevoegen.');
  const sealed = await encryptAttachment(c.provider, file.bytes);
  if (!sealed.ok) return sealed;
  const hash = fromBase64Url(sealed.value.address);
  if (!hash.ok) return hash;
  // Kept locally first (sealed), uploaded when online; the relay checks the hash.
  await c.store.putChunks(sealed.value.address, dossierId, [sealed.value.ciphertext]);
  if (c.relay.conn?.ready) {
    const put = await c.relay.conn.blobPut(roomOf(dossierId, scope), hash.value, sealed.value.ciphertext);
    if (!put.ok) return put;
  } else {
    await c.store.putMeta(`blob-pending:${sealed.value.address}`, utf8Encode(roomOf(dossierId, scope)));
  }
  const meta: BijlageMeta & { sleutel: Uint8Array } = {
    id: asId<BijlageId>(newId(c.provider)),
    bestandsnaam: file.bestandsnaam,
    mediaType: file.mediaType,
    grootte: file.bytes.length,
    toegevoegdOp: c.now().toISOString(),
    toegevoegdDoor: id.userId,
    adres: sealed.value.address,
    ...(file.soort === undefined ? {} : { soort: file.soort }),
    sleutel: sealed.value.key,
  };
  const w = await dossierSession(c, st).write(scope, (doc) => docs.pushBijlage(doc, meta));
  if (!w.ok) return w;
  // A bijlage may move the status automatically (e.g. vragen gesteld → aangevuld).
  const cur = currentState(c, st, hulpvraagId);
  if (cur.ok) {
    const event: StatusEvent = {
      kind: 'bijlage-toegevoegd',
      id: asId<StatusEventId>(newId(c.provider)),
      at: c.now().toISOString(),
      bijlageId: meta.id,
    };
    const t = transition(cur.value, event, { userId: id.userId, organisationId: id.organisationId, roles: id.roles }, c.now());
    if (t.ok && t.value.changed) await appendEvent(c, st, hulpvraagId, event, t.value.effects, t.value.state.status);
  }
  const { sleutel: _k, ...plain } = meta;
  return ok(plain);
}

export async function readBijlage(
  c: ClientCore,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  bijlageId: BijlageId,
): Promise<Result<Uint8Array>> {
  const d = c.doc(dossierId, `hulpvraag:${hulpvraagId}`);
  if (!d.ok) return d;
  const meta = docs.readBijlagen(d.value.doc).find((b) => b.id === bijlageId) as (BijlageMeta & { sleutel?: Uint8Array }) | undefined;
  if (!meta?.sleutel) return fail('bijlage-onbekend', 'Deze bijlage bestaat niet (meer).');
  let chunks = await c.store.getChunks(meta.adres);
  if (!chunks) {
    const hash = fromBase64Url(meta.adres);
    if (!hash.ok || !c.relay.conn?.ready) return fail('offline', 'De bijlage is nog niet op dit apparaat en er is geen verbinding.');
    const got = await c.relay.conn.blobGet(roomOf(dossierId, `hulpvraag:${hulpvraagId}`), hash.value);
    if (!got.ok) return got;
    chunks = [got.value];
    await c.store.putChunks(meta.adres, dossierId, chunks);
  }
  const all = chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks);
  return decryptAttachment(c.provider, all, meta.sleutel, meta.adres);
}

export async function uploadPendingBlobs(c: ClientCore): Promise<void> {
  if (!c.relay.conn?.ready) return;
  const rows = await c.store.db.meta.where('key').startsWith('blob-pending:').toArray();
  for (const row of rows) {
    const address = row.key.slice('blob-pending:'.length);
    const chunks = await c.store.getChunks(address);
    const hash = fromBase64Url(address);
    if (!chunks || !hash.ok) continue;
    const put = await c.relay.conn.blobPut(utf8Decode(row.bytes), hash.value, concat(chunks));
    if (put.ok) await c.store.db.meta.delete(row.key);
  }
}
