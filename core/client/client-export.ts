// Inzage-export (AVG art. 15): everything about one leerling that this person
// may read, as one zip with a readable index.html and a manifest of SHA-256
// hashes signed by this device (core/export). The export is written to the
// dossier's access log first ("geëxporteerd"), so the log in the zip shows it.
// The zip is plaintext by design: a deliberate download (THREAT_MODEL R70).
import { roomOf, scopeKind } from '../access/rooms.js';
import { formatDatumNl, formatMomentNl } from '../model/dates.js';
import { utf8Encode } from '../crypto/bytes.js';
import { renderExportIndex, type IndexSection } from '../export/export-index.js';
import { sealExport, type ExportSoort } from '../export/export-manifest.js';
import type { ZipEntry } from '../export/stored-zip.js';
import { formForHulpvraagTitel } from '../forms/definitions/form-set.js';
import { asId } from '../model/ids.js';
import type { DossierId, FormulierId, HulpvraagId } from '../model/ids.js';
import { ok, type Result } from '../result.js';
import type { DossierExport, HulpvraagView } from './api.js';
import type { ClientCore } from './client-core.js';
import { accessLog, whoCanRead } from './client-access.js';
import { readBijlage } from './client-bijlagen.js';
import { fullName, getLeerling, getNotities } from './client-dossiers.js';
import { formSignature, getForm, getLvs } from './client-forms.js';
import { getHulpvraag } from './client-hulpvragen.js';
import { refreshViews } from './client-index.js';
import { getOverlegronde } from './client-overlegronde.js';
import { encodeAccessEvent } from './dossier-state.js';
import { locked } from './state/session.js';
import { unknownDossier } from './state/dossier-registry.js';

const json = (v: unknown): Uint8Array => utf8Encode(JSON.stringify(v, null, 2));

/** A name that is safe as one path segment in every operating system's unzip. */
const segment = (name: string): string =>
  [...name]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(ch) ? '_' : ch))
    .join('')
    .slice(0, 120) || 'bestand';

// The file name keeps jjjj-mm-dd so exports sort by date; text for people uses the Dutch format (core/model/dates).
const datum = (iso: string): string => iso.slice(0, 10);

/** The processes whose decision a bezwaar can be about: what the dossier voor de LBT holds. */
const LBT_PROCESSEN: ReadonlySet<string> = new Set(['tlv-vso', 'po-tlv-sbo-so']);

export async function exportDossier(c: ClientCore, dossierId: DossierId, soort: ExportSoort = 'inzage'): Promise<Result<DossierExport>> {
  const idr = c.requireId();
  if (!idr.ok) return idr;
  const id = idr.value;
  const st = c.dossiers.get(dossierId);
  if (!st?.access || !c.hasAnyAccess(st)) return unknownDossier();
  const swvRoot = id.roots.get(id.swvId);
  if (!c.relay.engine || !swvRoot) return locked();
  const at = c.now();
  // First the access log: an export that could not be logged is not made.
  const logged = await c.relay.engine.submit(
    roomOf(dossierId, 'toegang'),
    'access',
    encodeAccessEvent(at.getTime(), c.session.deviceCert, 'geëxporteerd'),
  );
  if (!logged.ok) return logged;
  st.accessEvents.push({ at: at.getTime(), actor: id.userId, action: 'geëxporteerd' });
  await refreshViews(c, dossierId);

  const files: ZipEntry[] = [];
  const secties: IndexSection[] = [];
  const add = (name: string, data: Uint8Array): string => {
    files.push({ name, data });
    return name;
  };

  const leerling = getLeerling(c, dossierId);
  if (leerling.ok) {
    const { id: _id, ...l } = leerling.value;
    secties.push({
      kop: 'Leerling',
      regels: [fullName(l), `Geboortedatum: ${l.geboortedatum}`],
      bestanden: [add('leerling.json', json(l))],
    });
  }

  const hulpvragen = [...st.docs.keys()]
    .filter((s) => scopeKind(s) === 'hulpvraag')
    .map((s) => getHulpvraag(c, dossierId, asId<HulpvraagId>(s.slice('hulpvraag:'.length))))
    .flatMap((r) => (r.ok ? [r.value] : []))
    // The LBT gets the TLV aanvragen only (aanvraag, deskundigenadvies and besluit in the bijlagen, the procedure as status history).
    .filter((hv) => soort === 'inzage' || LBT_PROCESSEN.has(hv.processId))
    .sort((a, b) => a.aangemaaktOp.localeCompare(b.aangemaaktOp));
  for (const [i, hv] of hulpvragen.entries()) {
    const map = `hulpvragen/${i + 1}`;
    secties.push(await exportHulpvraag(c, dossierId, hv, map, add, soort, at));
  }

  if (soort === 'inzage') {
    // One's own notities are about the leerling too, and only the exporter can read them (R16).
    const notities = getNotities(c, dossierId);
    if (notities.ok && notities.value.trim() !== '') {
      secties.push({ kop: 'Eigen notities', regels: [], bestanden: [add('notities.txt', utf8Encode(notities.value))] });
    }
    const lezers = whoCanRead(c, dossierId);
    if (lezers.ok) {
      secties.push({
        kop: 'Wie kan dit dossier lezen',
        regels: lezers.value.map(
          (l) =>
            `${l.naam || l.userId} (${l.organisatie}): ${l.scopes.join(', ')}${l.expiresAt ? ` tot ${formatDatumNl(l.expiresAt)}` : ''}`,
        ),
        bestanden: [add('toegang.json', json(lezers.value))],
      });
    }
    const log = accessLog(c, dossierId);
    if (log.ok) {
      secties.push({
        kop: 'Toegangslog',
        regels: log.value.map((e) => `${formatMomentNl(e.at)} ${e.actorNaam || e.actor}: ${e.action}`),
        bestanden: [add('toegangslog.json', json(log.value))],
      });
    }
  }

  const titel = soort === 'inzage' ? 'Inzage in het dossier' : 'Dossier voor de Landelijke Bezwaaradviescommissie TLV';
  const index = renderExportIndex({
    titel,
    inleiding: [
      `Geëxporteerd uit Kindkluis op ${formatMomentNl(at.toISOString())} (Nederlandse tijd) door ${c.directory.nameOf(id.userId)}.`,
      'Dit overzicht bevat alles uit het dossier dat de exporteur mocht lezen. manifest.json noemt van elk bestand de SHA-256; handtekening.json bevat de handtekening van het exporterende apparaat en zijn certificaatketen. Controleer met: npm run verify-export -- bestand.zip',
      'Dit bestand is niet versleuteld. Bewaar het zorgvuldig en verwijder het als u het niet meer nodig hebt.',
    ],
    secties,
  });
  files.unshift({ name: 'index.html', data: utf8Encode(index) });
  const bytes = await sealExport(
    c.provider,
    files,
    { soort, dossier: dossierId, at },
    {
      secretKey: id.device.secretKey,
      chainBytes: id.publicChainBytes,
      swvRoot,
      userId: id.userId,
      deviceId: id.deviceId,
      swvId: id.swvId,
    },
  );
  // The file name never carries the leerling (it ends up in the browser's download history, R32).
  const naam = `kindkluis-${soort === 'inzage' ? 'inzage' : 'lbt'}-${datum(at.toISOString())}.zip`;
  return ok({ naam, bytes, bestanden: files.map((f) => f.name) });
}

async function exportHulpvraag(
  c: ClientCore,
  dossierId: DossierId,
  hv: HulpvraagView,
  map: string,
  add: (name: string, data: Uint8Array) => string,
  soort: ExportSoort,
  at: Date,
): Promise<IndexSection> {
  const bestanden = [add(`${map}/hulpvraag.json`, json(hv))];
  const regels = [
    `${hv.titel}: ${hv.statusLabel}`,
    ...hv.history.map(
      (h) =>
        `${h.at.replace('T', ' ').slice(0, 16)} ${h.from || 'nieuw'} → ${h.to} door ${h.actorNaam}${h.geverifieerd ? '' : ' (niet te verifiëren)'}`,
    ),
  ];
  const def = formForHulpvraagTitel(hv.titel);
  const waarden = getForm(c, dossierId, hv.id);
  if (def && waarden.ok && Object.keys(waarden.value).length > 0) {
    const sig = await formSignature(c, dossierId, hv.id, asId<FormulierId>(def.id));
    const geldig = sig.ok && sig.value?.geldig ? sig.value : null;
    bestanden.push(
      add(`${map}/formulier.json`, json({ formulier: def.naam, waarden: waarden.value, ondertekening: sig.ok ? sig.value : null })),
    );
    // docx is large: loaded only when someone exports (as the extension's Word button does).
    const { exportFormToDocx } = await import('../forms/export-docx.js');
    const docx = await exportFormToDocx({
      definition: def,
      waarden: waarden.value,
      ondertekening: geldig
        ? { door: geldig.door, functie: [geldig.functie, geldig.organisatie].filter(Boolean).join(', '), op: geldig.op, handtekening: '' }
        : null,
      ...(geldig ? { ondertekenaarNaam: geldig.naam } : {}),
      hulpvraagTitel: hv.titel,
      exportedAt: at,
    });
    bestanden.push(add(`${map}/${segment(def.naam)}.docx`, docx));
  }
  for (const b of hv.bijlagen) {
    const data = await readBijlage(c, dossierId, hv.id, b.id);
    if (data.ok) bestanden.push(add(`${map}/bijlagen/${segment(b.id)}-${segment(b.bestandsnaam)}`, data.value));
    else regels.push(`Bijlage ${b.bestandsnaam}: ${data.error.message}`);
  }
  if (soort === 'inzage') {
    const lvs = getLvs(c, dossierId, hv.id);
    if (lvs.ok && Object.keys(lvs.value).length > 0) bestanden.push(add(`${map}/lvs.json`, json(lvs.value)));
    for (const [j, orId] of hv.overlegronden.entries()) {
      const or = getOverlegronde(c, dossierId, orId);
      if (!or.ok) continue;
      regels.push(`Overlegronde ${or.value.titel}: ${or.value.berichten.length} bericht(en)`);
      bestanden.push(add(`${map}/overlegronde-${j + 1}.json`, json(or.value)));
    }
  }
  return { kop: `Hulpvraag: ${hv.titel}`, regels, bestanden };
}
