// Snapshots on the client: the per-author clocks a device signs into the
// snapshot it posts, and the judgement of a snapshot it receives against the
// records it already holds of the room [P85, R121]. The rule itself lives in
// core/sync/snapshot-coverage.ts; this file brings the device's own records.
import * as Y from 'yjs';
import { decodeEnvelope, type Envelope } from '../crypto/envelope.js';
import { keyringGet } from '../access/keyring.js';
import type { Scope } from '../access/rooms.js';
import { ok, fail, type Result } from '../result.js';
import { openBatch } from '../sync/open-batch.js';
import { decodeSnapshotPublicPart } from '../sync/protocol-signing.js';
import { authorClocksOf, RoomCoverage, uncoveredAuthor, type AuthorClocks } from '../sync/snapshot-coverage.js';
import type { EnvelopeRow } from '../store/schema.js';
import type { DeviceId } from '../model/ids.js';
import type { ClientCore } from './client-core.js';
import { decodeSnapshotPayload, decodeUpdatePayload, type DossierState } from './dossier-state.js';
import { userOfDevice } from './client-authors.js';

/** The records this device holds of `room` at or below `upTo`, from the newest snapshot among them on. */
async function heldRows(c: ClientCore, room: string, upTo: number): Promise<{ rows: EnvelopeRow[]; envelopes: Envelope[] }> {
  const all = (await c.store.readReceived(room)).filter((r) => r.seq <= upTo);
  const envelopes: Envelope[] = [];
  const rows: EnvelopeRow[] = [];
  for (const r of all) {
    const env = decodeEnvelope(r.bytes);
    if (!env.ok) continue;
    // A snapshot this device took stands for everything before it (it was judged when it came).
    if (env.value.header.kind === 'snapshot') {
      rows.length = 0;
      envelopes.length = 0;
    }
    rows.push(r);
    envelopes.push(env.value);
  }
  return { rows, envelopes };
}

function clocksOf(envelopes: readonly Envelope[]): AuthorClocks {
  let base: AuthorClocks = [];
  const headers: Envelope['header'][] = [];
  for (const env of envelopes) {
    if (env.header.kind === 'update') headers.push(env.header);
    else if (env.header.kind === 'snapshot') {
      const pp = decodeSnapshotPublicPart(env.publicPart);
      if (pp.ok && pp.value.k) base = pp.value.k;
    }
  }
  return authorClocksOf(headers, base);
}

/**
 * Per author device, the highest counter of the records this device holds of `room` at or below `upTo`,
 * from the envelope headers and the clocks of a snapshot it started from: no key needed. What a
 * device signs into the snapshot it posts [P85].
 */
export async function heldAuthorClocks(c: ClientCore, room: string, upTo: number): Promise<AuthorClocks> {
  return clocksOf((await heldRows(c, room, upTo)).envelopes);
}

/**
 * May this device take a snapshot of `room` that covers up to its coversSeq in place of the records?
 * Only if it holds nothing there that the snapshot leaves out: by the author's signed clocks, and by
 * the Yjs content itself (a stale document posted with honest clocks). A device that holds nothing of
 * the room yet cannot judge and takes it. Costs one pass over the records held since the last snapshot,
 * only when a snapshot reaches a device that already holds some of the room.
 */
export async function judgeSnapshot(
  c: ClientCore,
  st: DossierState,
  scope: Scope,
  room: string,
  snapshot: { readonly author: string; readonly publicPart: Uint8Array | undefined; readonly state: Uint8Array },
): Promise<Result<void>> {
  const pp = decodeSnapshotPublicPart(snapshot.publicPart);
  if (!pp.ok) return fail('momentopname-onjuist', 'De momentopname heeft geen geldig openbaar deel.');
  const { rows, envelopes } = await heldRows(c, room, pp.value.coversSeq);
  if (rows.length === 0) return ok(undefined);
  let theirs: ReturnType<typeof Y.decodeUpdate>;
  try {
    theirs = Y.decodeUpdate(snapshot.state);
  } catch {
    return fail('momentopname-onjuist', 'De momentopname is onleesbaar.');
  }
  const nameOfDevice = (device: string, unknown: string): string => {
    const user = userOfDevice(c, st, device as DeviceId);
    return user === null ? unknown : c.directory.nameOf(user);
  };
  const maker = nameOfDevice(snapshot.author, 'een ander lid');
  const held = clocksOf(envelopes);
  const missing = pp.value.k === undefined ? (held[0]?.[0] ?? null) : uncoveredAuthor(pp.value.k, held);
  if (missing !== null) {
    const van = nameOfDevice(missing, 'een lid');
    return fail(
      'momentopname-onvolledig',
      `De momentopname van ${maker} laat wijzigingen van ${van} weg die dit apparaat al heeft; Kindkluis haalt de wijzigingen zelf op.`,
    );
  }
  const coverage = new RoomCoverage();
  const { opened } = await openBatch(c.provider, room, rows, {
    keyFor: (e) => keyringGet(st.keyring, scope, e),
    authorize: () => ok(undefined),
  });
  for (const o of opened) {
    const update =
      o.envelope.header.kind === 'snapshot'
        ? decodeSnapshotPayload(o.plaintext)
        : o.envelope.header.kind === 'update'
          ? (decodeUpdatePayload(o.plaintext)?.update ?? null)
          : null;
    if (update === null) continue;
    try {
      coverage.note(Y.decodeUpdate(update));
    } catch {
      // A record that does not decode was quarantined when it came; it cannot be held against anyone.
    }
  }
  const lacks = coverage.missingIn(theirs);
  if (lacks !== null)
    return fail(
      'momentopname-onvolledig',
      `De momentopname van ${maker} mist ${lacks} die dit apparaat al heeft; Kindkluis haalt de wijzigingen zelf op.`,
    );
  return ok(undefined);
}
