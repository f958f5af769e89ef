// The hulpvragen list's rows, filters and sort (002 "het scherm Hulpvragen"), as
// functions over the client's sealed index: the list screen, the side panel, the
// popup summary and the bench all run these, and Node tests them.
import { processForTitel } from '../../processes/process-set.js';
import { ok, type Result } from '../../result.js';
import type { HulpvraagListItem, KindkluisClient } from '../api.js';

/** One row of the hulpvragen list (decrypted in memory from the sealed local index). */
export interface HulpvraagRij {
  readonly hulpvraagId: string;
  readonly dossierId: string;
  readonly leerling: string;
  readonly titel: string;
  readonly type: string;
  readonly status: string;
  readonly eindstatus: boolean;
  readonly datum: string;
  readonly laatsteDatum: string;
  readonly school: string;
  readonly aanvrager: string;
  readonly coordinator: string;
  readonly labels: readonly string[];
  readonly ongelezen: boolean;
}

export type LijstKolom = 'leerling' | 'titel' | 'status' | 'datum' | 'laatsteDatum' | 'school' | 'aanvrager' | 'coordinator' | 'labels';

export interface LijstFilters {
  readonly zoek: string;
  readonly status: string;
  readonly type: string;
  readonly alleenOpen: boolean;
  readonly alleenOngelezen: boolean;
}

export interface LijstWeergave {
  readonly kolommen: readonly LijstKolom[];
  readonly sorteer: LijstKolom;
  readonly richting: 'oplopend' | 'aflopend';
}

/** Whether `status` ends the process the titel picks. */
export const isEindstatus = (titel: string, status: string): boolean => {
  const p = processForTitel(titel);
  return p.ok ? (p.value.statuses.find((s) => s.status === status)?.end ?? false) : false;
};

/** The list's row for one item of the client's sealed index; unread only for a signed-in user. */
const hulpvraagRijVan = (h: HulpvraagListItem, gelezen: Readonly<Record<string, string>>, ingelogd: boolean): HulpvraagRij => ({
  hulpvraagId: h.hulpvraagId,
  dossierId: h.dossierId,
  leerling: h.leerlingNaam ?? '',
  titel: h.titel,
  type: h.titel,
  status: h.statusLabel || h.status,
  eindstatus: isEindstatus(h.titel, h.status),
  datum: h.aangemaaktOp,
  laatsteDatum: h.gewijzigdOp,
  school: h.school,
  aanvrager: '',
  coordinator: h.coordinator ?? '',
  labels: h.labels,
  ongelezen: (gelezen[h.hulpvraagId] ?? '') < h.gewijzigdOp && ingelogd,
});

/** A row's text in one column, as shown and as sorted. */
export const kolomWaarde = (r: HulpvraagRij, k: LijstKolom): string => (k === 'labels' ? r.labels.join(', ') : r[k]);

/** Search (every visible field, Dutch case folding), filters, and a Dutch numeric sort on one column. */
export function filterEnSorteer(rijen: readonly HulpvraagRij[], f: LijstFilters, w: LijstWeergave): HulpvraagRij[] {
  const zoek = f.zoek.trim().toLocaleLowerCase('nl');
  const uit = rijen.filter(
    (r) =>
      (zoek === '' ||
        `${r.leerling} ${r.titel} ${r.status} ${r.school} ${r.labels.join(' ')} ${r.coordinator} ${r.aanvrager}`
          .toLocaleLowerCase('nl')
          .includes(zoek)) &&
      (f.status === '' || r.status === f.status) &&
      (f.type === '' || r.type === f.type) &&
      (!f.alleenOpen || !r.eindstatus) &&
      (!f.alleenOngelezen || r.ongelezen),
  );
  const dir = w.richting === 'oplopend' ? 1 : -1;
  const coll = new Intl.Collator('nl', { numeric: true, sensitivity: 'base' });
  return uit.sort((a, b) => dir * coll.compare(kolomWaarde(a, w.sorteer), kolomWaarde(b, w.sorteer)));
}

/** What the list reads of the client: its sealed index, the dossiers in memory, and who is signed in. */
export type LijstBron = Pick<KindkluisClient, 'listHulpvragen' | 'listDossiers' | 'getHulpvraag' | 'me'>;

/**
 * Every row this person may see: the sealed index, plus the hulpvragen of dossiers this device
 * learned about since the index was last written (read from memory). `gelezen`: per hulpvraag,
 * when this person last saw it.
 */
export async function hulpvraagRijenVan(client: LijstBron, gelezen: Readonly<Record<string, string>>): Promise<Result<HulpvraagRij[]>> {
  const r = await client.listHulpvragen();
  if (!r.ok) return r;
  const bekend = new Set<string>(r.value.map((h) => h.hulpvraagId));
  const extra: HulpvraagListItem[] = [];
  for (const d of client.listDossiers()) {
    for (const hid of d.hulpvragen) {
      if (bekend.has(hid)) continue;
      const v = client.getHulpvraag(d.id, hid);
      if (!v.ok) continue;
      extra.push({
        hulpvraagId: hid,
        dossierId: d.id,
        titel: v.value.titel,
        status: v.value.status,
        statusLabel: v.value.statusLabel,
        leerlingNaam: d.leerlingNaam,
        school: '',
        coordinator: null,
        aangemaaktOp: v.value.aangemaaktOp,
        gewijzigdOp: v.value.history.at(-1)?.at ?? v.value.aangemaaktOp,
        labels: v.value.labels,
      });
    }
  }
  const ingelogd = client.me() !== null;
  return ok([...r.value, ...extra].map((h) => hulpvraagRijVan(h, gelezen, ingelogd)));
}
