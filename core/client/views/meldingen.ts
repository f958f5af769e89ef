// The meldingen of the toolbar badge, the popup and the side panel, as one
// function over the client API (issue 14: these rules lived in the extension's
// adapter, untested in Node): a new status not seen yet, a bezwaar deadline
// that is near or passed, a TLV that ends within the reminder period, a
// signature asked of the bevoegd gezag, an @mention by a proven author, and an
// overlegronde that closes within two days. `gelezen` is what this person has
// seen (per hulpvraag: the moment; per overlegronde: `overleg:<id>`).
import { asId, type DossierId, type HulpvraagId } from '../../model/ids.js';
import { formatDatumNl } from '../../model/dates.js';
import type { KindkluisClient } from '../api.js';

export interface Melding {
  readonly id: string;
  readonly soort: 'mention' | 'status' | 'einddatum' | 'ondertekening' | 'termijn' | 'tlv-loopt-af' | 'aanmelding';
  /** Empty for a melding about no dossier (a join waiting in Beheer). */
  readonly dossierId: string;
  readonly hulpvraagId: string;
  readonly tekst: string;
  /** When it arose (ISO): the list is newest first. */
  readonly at: string;
}

const DAG_MS = 86_400_000;
/** A bezwaar deadline shows from this many days before it. */
export const TERMIJN_MELDING_DAGEN = 7;
/** An overlegronde shows "sluit binnenkort" from this long before its einddatum. */
export const SLUIT_BINNENKORT_MS = 2 * DAG_MS;

export async function meldingenVan(client: KindkluisClient, gelezen: Readonly<Record<string, string>>, nu: number): Promise<Melding[]> {
  const me = client.me();
  if (!me) return [];
  const out: Melding[] = [];
  const lijst = await client.listHulpvragen();
  for (const h of lijst.ok ? lijst.value : []) {
    if ((gelezen[h.hulpvraagId] ?? '') < h.gewijzigdOp) {
      out.push({
        id: `status:${h.hulpvraagId}:${h.gewijzigdOp}`,
        soort: 'status',
        dossierId: h.dossierId,
        hulpvraagId: h.hulpvraagId,
        tekst: `${h.titel}: ${h.statusLabel || h.status}`,
        at: h.gewijzigdOp,
      });
    }
    // A bezwaar's 6-week and 14-day deadlines (process data): a reminder while one is open and near, or late.
    const termijnen = client.bezwaarTermijnen(asId<DossierId>(h.dossierId), asId<HulpvraagId>(h.hulpvraagId));
    for (const t of termijnen.ok ? termijnen.value : []) {
      const dagen = Math.round((Date.parse(`${t.uiterlijk}T00:00:00Z`) - nu) / DAG_MS);
      if (t.stand === 'gehaald' || (t.stand === 'open' && dagen > TERMIJN_MELDING_DAGEN)) continue;
      out.push({
        id: `termijn:${h.hulpvraagId}:${t.id}:${t.stand}`,
        soort: 'termijn',
        dossierId: h.dossierId,
        hulpvraagId: h.hulpvraagId,
        tekst: `${h.titel}: ${t.label} — ${t.stand === 'te-laat' ? 'termijn verstreken' : 'uiterlijk'} ${formatDatumNl(t.uiterlijk)}`,
        at: t.uiterlijk,
      });
    }
  }
  // Half a year before a TLV ends: time for a herbeoordeling (school and coördinator).
  for (const t of client.tlvHerinneringen()) {
    out.push({
      id: `tlv-loopt-af:${t.hulpvraagId}:${t.einddatum}`,
      soort: 'tlv-loopt-af',
      dossierId: t.dossierId,
      hulpvraagId: t.hulpvraagId,
      tekst: `${t.titel}: de TLV (volgnummer ${t.volgnummer}) loopt af op ${formatDatumNl(t.einddatum)}; tijd voor een herbeoordeling`,
      at: t.vanaf,
    });
  }
  // The bevoegd gezag is asked to sign: a melding until a valid signature made after the request.
  for (const v of await client.openSignatureRequests()) {
    const titel = client.getHulpvraag(v.dossierId, v.hulpvraagId);
    out.push({
      id: `ondertekening:${v.hulpvraagId}:${v.op}`,
      soort: 'ondertekening',
      dossierId: v.dossierId,
      hulpvraagId: v.hulpvraagId,
      tekst: `${v.doorNaam} vraagt u ${titel.ok ? `het formulier bij "${titel.value.titel}"` : 'een formulier'} te ondertekenen`,
      at: v.op,
    });
  }
  // The beheerder: a join waiting for her approval with the controlecode, or a code used by more than one [R100].
  if (me.basissleutel) {
    const uitnodigingen = await client.invitations();
    for (const u of uitnodigingen.ok ? uitnodigingen.value : []) {
      if (u.status !== 'wacht-op-goedkeuring' && u.status !== 'geblokkeerd') continue;
      const wie = `${u.profile.voornaam} ${u.profile.achternaam} (${u.organisatieNaam})`;
      const tekst =
        u.status === 'geblokkeerd'
          ? `De uitnodiging van ${wie} is geblokkeerd: de code is door meer mensen gebruikt`
          : `${wie} wacht op uw goedkeuring in Beheer`;
      out.push({
        id: `aanmelding:${u.userId}:${u.status}:${u.sas.join(',')}`,
        soort: 'aanmelding',
        dossierId: '',
        hulpvraagId: '',
        tekst,
        at: new Date(nu).toISOString(),
      });
    }
  }
  for (const d of client.listDossiers()) {
    for (const oid of d.overlegronden) {
      const o = client.getOverlegronde(d.id, oid);
      if (!o.ok) continue;
      const gezien = gelezen[`overleg:${oid}`] ?? '';
      for (const b of o.value.berichten) {
        // Also when an edit added the mention later: the moment of the first version that named me counts.
        const genoemd = b.genoemd.find((g) => g.userId === me.userId);
        // Only messages whose author is proven count (their `genoemd` is empty otherwise too).
        if (genoemd && b.geverifieerd && b.auteur !== me.userId && genoemd.sinds > gezien) {
          // A reactie has no titel of its own: name the onderwerp it answers.
          const onderwerp = b.antwoordOp === null ? b.titel : o.value.berichten.find((x) => x.id === b.antwoordOp)?.titel;
          const waar = b.antwoordOp === null ? `in "${b.titel}"` : onderwerp ? `in een reactie op "${onderwerp}"` : 'in een reactie';
          out.push({
            id: `mention:${b.id}`,
            soort: 'mention',
            dossierId: d.id,
            hulpvraagId: o.value.hulpvraagId,
            tekst: `${b.auteurNaam} noemde u ${waar}`,
            at: genoemd.sinds,
          });
        }
      }
      const eind = Date.parse(o.value.einddatum);
      if (
        !o.value.gesloten &&
        eind > nu &&
        eind - nu < SLUIT_BINNENKORT_MS &&
        gezien < new Date(eind - SLUIT_BINNENKORT_MS).toISOString()
      ) {
        out.push({
          id: `einddatum:${oid}`,
          soort: 'einddatum',
          dossierId: d.id,
          hulpvraagId: o.value.hulpvraagId,
          tekst: `Overlegronde "${o.value.titel}" sluit binnenkort`,
          at: o.value.einddatum,
        });
      }
    }
  }
  return out.sort((a, b) => (a.at < b.at ? 1 : -1));
}

/** Where a melding leads: the extension page and route that shows it (the popup and side panel open this). */
export function meldingAdres(m: Pick<Melding, 'soort' | 'dossierId' | 'hulpvraagId'>): string {
  if (m.soort === 'aanmelding') return 'options.html#/beheer';
  const tab = {
    status: 'hulpvraag',
    termijn: 'hulpvraag',
    'tlv-loopt-af': 'tlv',
    ondertekening: 'formulier',
    mention: 'overlegronde',
    einddatum: 'overlegronde',
  }[m.soort];
  return `dossier.html#/dossier/${encodeURIComponent(m.dossierId)}/${tab}/${encodeURIComponent(m.hulpvraagId)}`;
}
