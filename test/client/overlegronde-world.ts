// What the overlegronde tests share: a dossier with a hulpvraag in "TLV
// aanvraag indienen" and a running overlegronde, and waiting until a member's
// view of that ronde shows what a test expects.
import type { OverlegrondeView } from '../../core/client/api.js';
import type { DossierId, OverlegrondeId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { fileHulpvraag } from './dossier-world.js';
import { readyToSubmit } from './indienen-world.js';

/**
 * `creator` (an intern begeleider) opens a dossier, files a TLV hulpvraag, has `bestuur` (the
 * school's bevoegd gezag) sign the form before indienen, and starts a ronde of 7 days with `deelnemers`.
 */
export async function startRonde(
  creator: Member,
  deelnemers: readonly Member[],
  bestuur: Member,
): Promise<{ dossier: DossierId; ronde: OverlegrondeId }> {
  const c = creator.tc.client;
  const { dossier, hv } = await fileHulpvraag(creator, 'TLV VSO', 'Overleg over ondersteuning');
  await readyToSubmit(creator, bestuur, dossier, hv);
  const st = await c.changeStatus(dossier, hv, 'TLV aanvraag indienen');
  if (!st.ok) throw new Error(st.error.message);
  const or = await c.startOverlegronde(dossier, hv, {
    titel: 'Overleg',
    omschrijving: 'Afstemmen over de aanpak',
    einddatum: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    deelnemers: deelnemers.map((m) => m.userId),
  });
  if (!or.ok) throw new Error(or.error.message);
  return { dossier, ronde: or.value };
}

/** Syncs `m` (and checks pending signatures) until its view of the ronde passes `check`; returns that view. */
export async function rondeBij(
  m: Member,
  dossier: DossierId,
  ronde: OverlegrondeId,
  check: (r: OverlegrondeView) => boolean,
  what: string,
): Promise<OverlegrondeView> {
  let last: OverlegrondeView | undefined;
  await eventually(
    async () => {
      await m.tc.client.tick();
      await m.tc.client.refreshViews(dossier);
      const r = m.tc.client.getOverlegronde(dossier, ronde);
      if (r.ok) last = r.value;
      return r.ok && check(r.value);
    },
    `${what} bij ${m.naam}`,
    30_000,
  );
  if (!last) throw new Error('onbereikbaar');
  return last;
}
