// What the relay handed out of a dossier, to which person's device, when
// [P52, R115]. The access log's "geopend" entries are written by the client
// that opened the dossier: a modified client can leave them out. The relay
// notes what it serves anyway; the FG and the dossier's members read it here,
// beside what each person reported. Counts and times only: the relay learns
// nothing from this it did not see while serving. The relay signs its answer
// with its identity key [P83, R119]; the client checks it and pins the key.
import type { IsoDateTime } from '../model/dates.js';
import { asId, type DossierId, type UserId } from '../model/ids.js';
import { fail, ok, type Result } from '../result.js';
import { equalBytes } from '../crypto/bytes.js';
import { openLocal, sealLocal } from '../store/local-seal.js';
import { relayKeyFingerprint, servedLogEvidence, verifyServedLogSignature } from '../sync/served-log-signature.js';
import type { ClientCore } from './client-core.js';
import { unknownDossier } from './state/dossier-registry.js';

export interface ServedLogRow {
  readonly userId: UserId;
  readonly naam: string;
  /** The device that received it (its id, as in the device list of the account). */
  readonly deviceId: string;
  /** A dossier part (`leerling`, `hulpvraag:<id>`, …) or `bijlage`. */
  readonly onderdeel: string;
  readonly eerste: IsoDateTime;
  readonly laatste: IsoDateTime;
  /** Records (updates, snapshots) or attachments in that hour. */
  readonly aantal: number;
  /** Whether this person's own client reported opening the dossier ("geopend") in the access log at all. */
  readonly geopendGemeld: boolean;
}

/** Who signed the served log and whether this device knew that key [P83, R119]. */
export interface ServedLogSignature {
  /** The relay key's fingerprint (first 8 bytes of its SHA-256, hex), to compare by eye. */
  readonly vingerafdruk: string;
  /** The moment the relay signed its answer. */
  readonly ondertekendOp: IsoDateTime;
  /** False the first time this device saw a served log of its SWV: the key is pinned now (trust on first use). */
  readonly eerderGezien: boolean;
  /** Set when the answer is signed by another key than the one this device pinned for its SWV: the warning to show. */
  readonly andereSleutel: { readonly vastgelegdeVingerafdruk: string; readonly waarschuwing: string } | null;
}

/** The verified served log: the rows, who signed them, and the signed answer as an evidence file. */
export interface ServedLogView {
  readonly rows: readonly ServedLogRow[];
  readonly ondertekening: ServedLogSignature;
  /** "Bezorglogboek downloaden (ondertekend)": JSON with the entries, the signature and the public key (P83). */
  readonly bewijs: { readonly bestandsnaam: string; readonly inhoud: string };
}

const SERVED_LOG_BAD_SIGNATURE = 'De server heeft het bezorglogboek niet geldig ondertekend.';

/** Meta key of the relay key pinned for the SWV, sealed with the local key: IndexedDB holds no plaintext. */
const pinKey = (swvId: string): string => `relaysleutel/${swvId}`;

async function pinnedRelayKey(c: ClientCore, localKey: Uint8Array, swvId: string): Promise<Uint8Array | undefined> {
  const sealed = await c.store.getMeta(pinKey(swvId));
  if (sealed === undefined) return undefined;
  const opened = await openLocal(c.provider, localKey, pinKey(swvId), sealed);
  // A pin this device cannot open is a bug or a damaged store, not a reason to trust any key.
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value;
}

/**
 * The relay's word on what it served, checked: a signature that does not verify is refused, never
 * shown; the signing key is pinned per SWV on first use, and another key later is warned about.
 */
export async function servedLog(c: ClientCore, dossierId: DossierId): Promise<Result<ServedLogView>> {
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return unknownDossier();
  const id = c.requireId();
  if (!id.ok) return id;
  const conn = c.relay.conn;
  if (!conn?.ready)
    return fail('offline', 'Het overzicht van de server is alleen online op te vragen. Probeer het opnieuw als er verbinding is.');
  const got = await conn.servedLog(dossierId);
  if (!got.ok) return got;
  const signed = got.value;
  if (!(await verifyServedLogSignature(c.provider, signed))) return fail('bezorglogboek-ongeldig', SERVED_LOG_BAD_SIGNATURE);

  const { localKey, swvId } = id.value;
  const pinned = await pinnedRelayKey(c, localKey, swvId);
  if (pinned === undefined) await c.store.putMeta(pinKey(swvId), await sealLocal(c.provider, localKey, pinKey(swvId), signed.relayKey));
  const vingerafdruk = await relayKeyFingerprint(c.provider, signed.relayKey);
  let andereSleutel: ServedLogSignature['andereSleutel'] = null;
  if (pinned !== undefined && !equalBytes(pinned, signed.relayKey)) {
    const vastgelegd = await relayKeyFingerprint(c.provider, pinned);
    andereSleutel = {
      vastgelegdeVingerafdruk: vastgelegd,
      waarschuwing:
        `De server gebruikt een andere sleutel dan eerder (eerder ${vastgelegd}, nu ${vingerafdruk}). ` +
        'Het overzicht is wel ondertekend, maar niet met de sleutel die dit apparaat van deze server kent. Vraag de beheerder van de server of de sleutel bewust is vervangen.',
    };
  }

  const reported = new Set(st.accessEvents.filter((e) => e.action === 'geopend').map((e) => e.actor as string));
  const ondertekendOp = new Date(signed.at).toISOString();
  return ok({
    rows: signed.entries.map((e) => ({
      userId: asId<UserId>(e.user),
      naam: c.directory.nameOf(e.user),
      deviceId: e.device,
      onderdeel: e.scope,
      eerste: new Date(e.first).toISOString(),
      laatste: new Date(e.last).toISOString(),
      aantal: e.count,
      geopendGemeld: reported.has(e.user),
    })),
    ondertekening: { vingerafdruk, ondertekendOp, eerderGezien: pinned !== undefined, andereSleutel },
    bewijs: { bestandsnaam: `bezorglogboek-${dossierId}-${ondertekendOp.slice(0, 10)}.json`, inhoud: servedLogEvidence(signed) },
  });
}
