// Verifies and opens a batch of received records at once: decode, check
// signatures concurrently, check the author's membership at that point and the
// epoch, decrypt each record once. Failures are returned with a code, never
// applied. The caller merges the plaintext Yjs updates before applying them.
import type { CryptoProvider } from '../crypto/provider.js';
import { decodeEnvelope, openEnvelope, type Envelope } from '../crypto/envelope.js';
import type { RoomId } from '../model/ids.js';
import type { Result } from '../result.js';
import type { RelayRecord } from './relay-link.js';

export interface OpenedRecord {
  readonly seq: number;
  readonly bytes: Uint8Array;
  readonly envelope: Envelope;
  readonly plaintext: Uint8Array;
}

export interface RejectedRecord {
  readonly seq: number;
  readonly bytes: Uint8Array;
  readonly code: string;
}

export interface BatchRules {
  /** Epoch key of the room, if this device holds it. */
  readonly keyFor: (epoch: number) => Uint8Array | undefined;
  /** Was the author a member with write right for this kind at this point of the access log? */
  readonly authorize: (envelope: Envelope) => Result<void>;
}

export async function openBatch(
  provider: CryptoProvider,
  room: string,
  records: readonly RelayRecord[],
  rules: BatchRules,
): Promise<{ opened: OpenedRecord[]; rejected: RejectedRecord[] }> {
  const results = await Promise.all(
    records.map(async (r): Promise<OpenedRecord | RejectedRecord> => {
      const env = decodeEnvelope(r.bytes);
      if (!env.ok) return { seq: r.seq, bytes: r.bytes, code: env.error.code };
      const auth = rules.authorize(env.value);
      if (!auth.ok) return { seq: r.seq, bytes: r.bytes, code: auth.error.code };
      const key = rules.keyFor(env.value.header.epoch);
      if (key === undefined) return { seq: r.seq, bytes: r.bytes, code: 'sleutel-ontbreekt' };
      const opened = await openEnvelope(provider, env.value, { key, room: room as RoomId, epoch: env.value.header.epoch });
      if (!opened.ok) return { seq: r.seq, bytes: r.bytes, code: opened.error.code };
      return { seq: r.seq, bytes: r.bytes, envelope: env.value, plaintext: opened.value };
    }),
  );
  const opened: OpenedRecord[] = [];
  const rejected: RejectedRecord[] = [];
  for (const x of results) {
    if ('plaintext' in x) opened.push(x);
    else rejected.push(x);
  }
  return { opened, rejected };
}
