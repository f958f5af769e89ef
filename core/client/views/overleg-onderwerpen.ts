// An overlegronde as a conversation (issue 21): messages grouped into
// onderwerpen (a message with a titel opens one, reacties belong to it), the
// latest afgehandeld mark per onderwerp, newest activity first, and per
// onderwerp how many messages this device has not shown yet. Pure over the
// client's view; what this device has seen is kept sealed as a draft.
import type { AfhandelingView, KindkluisClient, MessageView, OverlegrondeView } from '../api.js';
import type { DossierId, MessageId, OverlegrondeId } from '../../model/ids.js';

export interface Onderwerp {
  /** The id of the message that opened it. */
  readonly id: MessageId;
  readonly opening: MessageView;
  /** Oldest first. */
  readonly reacties: readonly MessageView[];
  /** The latest mark by a participant, if it says afgehandeld; a reopened onderwerp has none. */
  readonly afgehandeld: AfhandelingView | null;
  /** The latest message, edit or mark in it (ISO). */
  readonly laatsteActiviteit: string;
  /** Messages by others this device has not shown yet. */
  readonly ongelezen: number;
}

export interface Gesprek {
  /** Newest activity first. */
  readonly onderwerpen: readonly Onderwerp[];
  /**
   * Messages whose author is not proven to be a participant (forged, altered, by someone outside the
   * ronde, or not checked yet): readable, flagged, but never part of an onderwerp, never unread [R130].
   */
  readonly onbevestigd: readonly MessageView[];
}

/** Per onderwerp: the ids of the messages this device has shown. */
export type OverlegGezien = Readonly<Record<string, readonly string[]>>;

const laatste = (a: string, b: string): string => (a > b ? a : b);
const ordeVan = (x: { op: string; id: string }, y: { op: string; id: string }): number =>
  x.op < y.op ? -1 : x.op > y.op ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0;

/**
 * Folds the ronde into onderwerpen. A message counts only when its signature proves an author who
 * takes part in the ronde [R29, R130]; a reactie sits under the onderwerp its signed `antwoordOp`
 * names, and one whose onderwerp is not (yet) here stands as its own. Messages from before reacties
 * existed have no `antwoordOp`: each is its own onderwerp. Afgehandeld follows the latest mark (by
 * moment, then id, alike on every device) by a participant on an onderwerp [R131].
 */
export function gesprekVan(r: OverlegrondeView, gezien: OverlegGezien, meId: string): Gesprek {
  const inRonde = new Set<string>(r.deelnemers);
  const geldig = (m: MessageView): boolean => m.geverifieerd && inRonde.has(m.auteur);
  const onbevestigd = r.berichten.filter((m) => !geldig(m));
  const berichten = r.berichten.filter(geldig);
  const openingen = new Map<string, MessageView>();
  for (const m of berichten) if (m.antwoordOp === null) openingen.set(m.id, m);
  const reacties = new Map<string, MessageView[]>();
  for (const m of berichten) {
    if (m.antwoordOp === null) continue;
    if (!openingen.has(m.antwoordOp)) {
      openingen.set(m.id, m);
      continue;
    }
    const lijst = reacties.get(m.antwoordOp) ?? [];
    lijst.push(m);
    reacties.set(m.antwoordOp, lijst);
  }
  const marks = new Map<string, AfhandelingView>();
  for (const a of r.afhandelingen) {
    if (!inRonde.has(a.door) || !openingen.has(a.onderwerp)) continue;
    const cur = marks.get(a.onderwerp);
    if (!cur || ordeVan(a, cur) > 0) marks.set(a.onderwerp, a);
  }
  const onderwerpen: Onderwerp[] = [...openingen.values()].map((opening) => {
    const rs = (reacties.get(opening.id) ?? []).sort((a, b) => ordeVan({ op: a.geplaatstOp, id: a.id }, { op: b.geplaatstOp, id: b.id }));
    const mark = marks.get(opening.id) ?? null;
    const alle = [opening, ...rs];
    const activiteit = alle.reduce((t, m) => laatste(t, laatste(m.geplaatstOp, m.bewerktOp ?? '')), mark?.op ?? '');
    const gezienHier = new Set(gezien[opening.id] ?? []);
    return {
      id: opening.id,
      opening,
      reacties: rs,
      afgehandeld: mark?.afgehandeld ? mark : null,
      laatsteActiviteit: activiteit,
      ongelezen: alle.filter((m) => m.auteur !== meId && !gezienHier.has(m.id)).length,
    };
  });
  onderwerpen.sort((a, b) =>
    a.laatsteActiviteit < b.laatsteActiviteit ? 1 : a.laatsteActiviteit > b.laatsteActiviteit ? -1 : a.id < b.id ? -1 : 1,
  );
  return { onderwerpen, onbevestigd };
}

const gezienSleutel = (overlegrondeId: OverlegrondeId): string => `overleg-gezien/${overlegrondeId}`;

/** What this device has shown of the ronde; sealed with the device's local key like every draft. */
export async function leesOverlegGezien(
  client: Pick<KindkluisClient, 'loadDraft'>,
  overlegrondeId: OverlegrondeId,
): Promise<OverlegGezien> {
  const raw = await client.loadDraft(gezienSleutel(overlegrondeId));
  if (raw === null) return {};
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v !== 'object' || v === null) return {};
    const out: Record<string, string[]> = {};
    for (const [k, ids] of Object.entries(v)) if (Array.isArray(ids)) out[k] = ids.filter((x): x is string => typeof x === 'string');
    return out;
  } catch {
    return {};
  }
}

/** The onderwerp was on screen: its messages count as seen on this device (sealed, never in plain text). */
export async function markeerOnderwerpGezien(
  client: Pick<KindkluisClient, 'loadDraft' | 'saveDraft'>,
  dossierId: DossierId,
  overlegrondeId: OverlegrondeId,
  onderwerp: Pick<Onderwerp, 'id' | 'opening' | 'reacties'>,
): Promise<OverlegGezien> {
  const nu = await leesOverlegGezien(client, overlegrondeId);
  const ids = [...new Set([...(nu[onderwerp.id] ?? []), onderwerp.opening.id, ...onderwerp.reacties.map((m) => m.id)])];
  const volgend = { ...nu, [onderwerp.id]: ids };
  await client.saveDraft(gezienSleutel(overlegrondeId), dossierId, JSON.stringify(volgend));
  return volgend;
}
