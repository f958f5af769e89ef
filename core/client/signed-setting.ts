// A hulpvraag setting that decides who reads it or acts in it (the organisations it names, its
// coördinator, its aanvrager) is a signed item in the hulpvraag document, never a plain field:
// every writer of the hulpvraag can write a plain field, and would thereby give someone access
// or a role. Every reader takes the newest verified item whose signer could set it at its own
// moment (ties: the later one in the document); any other writer can push one, and it sets
// nothing [R125, R127].
import * as Y from 'yjs';
import type { DossierAccess } from '../access/dossier-access.js';
import type { HulpvraagId } from '../model/ids.js';
import type { ClientCore } from './client-core.js';
import { trustedRevocations, type DossierState } from './dossier-state.js';
import {
  isSignedEventItem,
  signedItemKey,
  signItem,
  verifySignedItem,
  type ItemSigner,
  type SignedEventItem,
  type SignedItemKind,
} from './signed-event.js';

/** What every setting's payload carries: the hulpvraag it is for and its moment. */
export interface SettingPayload {
  readonly hv: string;
  readonly at: string;
}

export interface SignedSetting<P extends SettingPayload> {
  readonly kind: SignedItemKind<P>;
  /** The array of the hulpvraag document that holds the signed items. */
  readonly array: string;
  /** Who may set it, judged by the access list at the item's own moment. */
  readonly mayWrite: (access: DossierAccess, signer: ItemSigner, at: number) => boolean;
}

/** Per signed item (`signedItemKey`): its payload and signer once verified, null when it failed. Shared by every setting. */
export type SettingVerifications = Map<string, { readonly payload: SettingPayload; readonly signer: ItemSigner } | null>;

const items = (doc: Y.Doc, array: string): SignedEventItem[] => doc.getArray<unknown>(array).toArray().filter(isSignedEventItem);

/** Signs `payload` with this device's key; `pushSetting` adds it to the hulpvraag's Yjs doc. */
export async function signSetting<P extends SettingPayload>(
  c: ClientCore,
  setting: SignedSetting<P>,
  payload: P,
): Promise<SignedEventItem> {
  const id = c.id;
  if (!id) throw new Error('signSetting zonder ontgrendelde identiteit');
  return signItem(c.provider, setting.kind, payload as unknown as Parameters<typeof signItem>[2], {
    secretKey: id.device.secretKey,
    chainBytes: id.publicChainBytes,
  });
}

export const pushSetting = <P extends SettingPayload>(doc: Y.Doc, setting: SignedSetting<P>, item: SignedEventItem): void => {
  doc.getArray<unknown>(setting.array).push([{ p: item.p, s: item.s, c: item.c }]);
};

/** Verifies the items of a setting not checked yet (signature, chain at their moment, hulpvraag), once each. */
export async function verifySetting<P extends SettingPayload>(
  c: ClientCore,
  st: DossierState,
  setting: SignedSetting<P>,
  hv: HulpvraagId,
  doc: Y.Doc,
): Promise<void> {
  const id = c.id;
  if (!id) return;
  const revocations = trustedRevocations(st);
  for (const item of items(doc, setting.array)) {
    const key = signedItemKey(item);
    if (st.verifiedSettings.has(key)) continue;
    const r = await verifySignedItem(c.provider, setting.kind, item, id.roots, revocations);
    st.verifiedSettings.set(key, r.ok && r.value.payload.hv === hv ? r.value : null);
  }
}

/** Every verified item of the setting whose signer could set it then, with that signer, oldest first. */
export function settingItems<P extends SettingPayload>(
  st: DossierState,
  setting: SignedSetting<P>,
  hv: HulpvraagId,
  doc: Y.Doc,
): { payload: P; signer: ItemSigner }[] {
  const access = st.access;
  if (!access) return [];
  const out: { at: number; payload: P; signer: ItemSigner }[] = [];
  for (const item of items(doc, setting.array)) {
    const v = st.verifiedSettings.get(signedItemKey(item));
    if (!v || v.payload.hv !== hv) continue;
    const at = Date.parse(v.payload.at);
    if (Number.isNaN(at) || !setting.mayWrite(access, v.signer, at)) continue;
    out.push({ at, payload: v.payload as P, signer: v.signer });
  }
  // Stable: equal moments keep their order in the document, so the later one wins.
  return out.sort((a, b) => a.at - b.at).map(({ payload, signer }) => ({ payload, signer }));
}

/** Every verified item of the setting whose signer could set it then, oldest first. */
export const settingHistory = <P extends SettingPayload>(st: DossierState, setting: SignedSetting<P>, hv: HulpvraagId, doc: Y.Doc): P[] =>
  settingItems(st, setting, hv, doc).map((x) => x.payload);

/** The setting now: the newest item whose signer could set it at its moment, or null when none. */
export function currentSetting<P extends SettingPayload>(
  st: DossierState,
  setting: SignedSetting<P>,
  hv: HulpvraagId,
  doc: Y.Doc,
): P | null {
  return settingHistory(st, setting, hv, doc).at(-1) ?? null;
}
