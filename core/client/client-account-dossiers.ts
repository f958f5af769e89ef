// The devices of one account share the list of dossiers they follow. The relay
// tells a user of a new dossier once (a notification is taken by the first
// device that pulls it), so without this a linked laptop never learned of
// dossiers shared after it was linked. Each device keeps the list in a relay
// mailbox that only the account can find or open: its name and key are derived
// from the user's agreement secret, which every device of the account holds.
// On every tick a device follows what the list names and adds what it follows
// itself; a dossier it lost access to is left out and not followed again.
// Concurrent writers converge: each re-adds what it misses on its next tick.
import { z } from 'zod';
import type { CanonicalValue } from '../crypto/canonical.js';
import { utf8Encode } from '../crypto/bytes.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { DossierId } from '../model/ids.js';
import type { ClientCore } from './client-core.js';
import { followDossier } from './client-rooms.js';
import { openWith, sealWith } from './onboarding.js';

const LABEL = 'kindkluis/account-dossiers/v1';
/** Dossier ids per mailbox page (a mailbox holds at most 16 KiB, P21) and the most pages read. */
export const IDS_PER_PAGE = 300;
export const MAX_PAGES = 33;

const derive = (provider: CryptoProvider, agreementSecret: Uint8Array, what: string): Promise<Uint8Array> =>
  provider.hkdfSha256(agreementSecret, utf8Encode(LABEL), utf8Encode(what), 32);

const pageSchema = z.strictObject({
  v: z.literal(1),
  page: z.number().int().min(0),
  pages: z.number().int().min(1).max(MAX_PAGES),
  dossiers: z.array(z.string().min(1).max(200)).max(IDS_PER_PAGE),
});

/** How often a device reads the list when it follows nothing new itself. */
export const ACCOUNT_SYNC_MS = 30_000;

/**
 * Follows every dossier the account's list names, then writes the list again if this device follows
 * more. At once when this device follows something new (or `now`: linking a device), else at most
 * every `ACCOUNT_SYNC_MS`.
 */
export async function syncAccountDossiers(c: ClientCore, options: { readonly now?: boolean } = {}): Promise<void> {
  const id = c.id;
  if (!id) return;
  const following = [...c.dossiers.keys()].sort().join(',');
  const now = c.now().getTime();
  const recent = c.accountSync && c.accountSync.following === following && now - c.accountSync.at < ACCOUNT_SYNC_MS;
  if (recent && options.now !== true) return;
  c.accountSync = { at: now, following };
  const p = c.provider;
  const secret = id.userAgreement.secretKey;
  const key = await derive(p, secret, 'sleutel');
  const anon = await c.mailboxConnection();
  if (!anon.ok) return;
  try {
    const listed = new Set<DossierId>();
    let pages = 1;
    for (let page = 0; page < pages; page++) {
      const got = await anon.value.mailboxGet(await derive(p, secret, `postvak/${page}`));
      if (!got.ok || got.value === null) break;
      const opened = await openWith(p, key, `${LABEL}/${page}`, got.value);
      const parsed = opened.ok ? pageSchema.safeParse(opened.value) : undefined;
      if (!parsed?.success || parsed.data.page !== page) break;
      pages = parsed.data.pages;
      for (const d of parsed.data.dossiers) listed.add(d as DossierId);
    }
    for (const d of listed) if (!c.purged.has(d)) await followDossier(c, d);
    const mine = [...c.dossiers.keys()];
    const dropped = [...listed].some((d) => c.purged.has(d));
    if (!dropped && mine.every((d) => listed.has(d))) return;
    const all = [...new Set([...listed, ...mine])].filter((d) => !c.purged.has(d));
    const count = Math.min(MAX_PAGES, Math.max(1, Math.ceil(all.length / IDS_PER_PAGE)));
    for (let page = 0; page < count; page++) {
      const value = { v: 1, page, pages: count, dossiers: all.slice(page * IDS_PER_PAGE, (page + 1) * IDS_PER_PAGE) };
      const sealed = await sealWith(p, key, `${LABEL}/${page}`, value as unknown as CanonicalValue);
      const put = await anon.value.mailboxPut(await derive(p, secret, `postvak/${page}`), sealed);
      if (!put.ok) return;
    }
  } finally {
    anon.value.close();
  }
}
