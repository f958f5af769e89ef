// What this person has seen, per hulpvraag (the moment) and per overlegronde (`overleg:<id>`):
// kept as a sealed draft of no dossier on this device, never synced. The meldingen, the
// list's "ongelezen" and the badge read it.
import type { KindkluisClient } from '../api.js';

/** The draft key the seen moments are kept under. */
const GELEZEN_KEY = 'gelezen';

export type Gelezen = Readonly<Record<string, string>>;

/** The seen moments stored on this device; a damaged draft counts as nothing seen. */
export async function leesGelezen(client: KindkluisClient): Promise<Gelezen> {
  const raw = await client.loadDraft(GELEZEN_KEY);
  try {
    return raw ? (JSON.parse(raw) as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** `ids` seen at `nu` (ISO), stored sealed; returns the new map. */
export async function noteerGelezen(client: KindkluisClient, gelezen: Gelezen, ids: readonly string[], nu: string): Promise<Gelezen> {
  const g: Record<string, string> = { ...gelezen };
  for (const id of ids) g[id] = nu;
  await client.saveDraft(GELEZEN_KEY, null, JSON.stringify(g));
  return g;
}
