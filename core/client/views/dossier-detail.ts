// The dossier screen's data as one view over the client API (issue 14: it was built in the
// extension's adapter): per hulpvraag the names of school, aanvrager and coördinator, whether
// its status ends the process, the moves this person may make, the form the titel attaches
// with its answers, what is missing and its signature verified now, the LVS, the aanpak and
// what indienen checks; beside them the overlegronden, the notitie, who reads and the access log.
import { asId, type DossierId, type FormulierId, type HulpvraagId } from '../../model/ids.js';
import type { Leerling } from '../../model/leerling.js';
import type { FormValue } from '../../model/formulier.js';
import type { TlvAfgifte } from '../../model/tlv-verklaring.js';
import type { FormDefinition } from '../../forms/form-definition.js';
import { checkForm } from '../../forms/validate.js';
import { formForHulpvraagTitel } from '../../forms/definitions/form-set.js';
import type { AanwezigVoorOvergang } from '../../workflow/vereisten.js';
import { ok, type Result } from '../../result.js';
import type {
  AanpakEntry,
  AccessLogEntry,
  DirectoryEntry,
  FormSignatureView,
  HulpvraagView,
  KindkluisClient,
  OverlegrondeView,
  ReaderEntry,
  SignatureRequestView,
  TransitionOption,
} from '../api.js';
import { isEindstatus } from './hulpvragen-lijst.js';

export interface FormulierView {
  readonly id: string;
  readonly definitie: FormDefinition;
  readonly waarden: Readonly<Record<string, FormValue>>;
  /** Answers taken from the leerling tab, schoolgegevens and aanvrager for fields not answered yet (002); saved only with the form. */
  readonly voorinvulling: Readonly<Record<string, FormValue>>;
  readonly ontbrekend: readonly string[];
  /** Verified when the dossier was read; `geldig` false once an answer changed after signing. */
  readonly ondertekening: FormSignatureView | null;
  /** A stored signature that fails verification (forged, damaged, wrong school): shown as such, never as signed. */
  readonly ondertekeningFout: string | null;
  readonly opgeslagen: boolean;
}

export interface HulpvraagDetail {
  readonly view: HulpvraagView;
  readonly schoolNaam: string;
  readonly aanvrager: string;
  readonly coordinatorNaam: string | null;
  readonly eindstatus: boolean;
  /** Statuses this user may choose now (core/workflow via the client). */
  readonly overgangen: readonly TransitionOption[];
  readonly formulieren: readonly FormulierView[];
  readonly lvs: Readonly<Record<string, FormValue>> | null;
  readonly aanpak: readonly AanpakEntry[];
  readonly tlv: TlvAfgifte | null;
  /** What indienen checks (signature, bijlagen), read by the core the same way (R48); null if unreadable here. */
  readonly aanwezig: AanwezigVoorOvergang | null;
  /** The latest request to the bevoegd gezag to sign the form, or null. */
  readonly ondertekenverzoek: SignatureRequestView | null;
}

export interface DossierDetail {
  readonly dossierId: string;
  readonly leerling: Leerling | null;
  readonly hulpvragen: readonly HulpvraagDetail[];
  readonly overlegronden: readonly OverlegrondeView[];
  readonly notitie: string;
  readonly lezers: readonly ReaderEntry[];
  readonly toegangLog: readonly AccessLogEntry[];
  /** What this device noticed about the relay or the writers (R40, R41), shown above the dossier. */
  readonly waarschuwingen: readonly string[];
}

/** "Voornaam Achternaam" of a member, or null for no one or someone the directory does not know. */
export function naamIn(directory: readonly DirectoryEntry[], userId: string | null): string | null {
  if (!userId) return null;
  const p = directory.find((x) => x.userId === userId);
  return p ? `${p.profile.voornaam} ${p.profile.achternaam}` : null;
}

/** Opens the dossier (it then stays in sync), verifies pending status events, and reads the view. */
export async function dossierDetailVan(client: KindkluisClient, dossierId: DossierId): Promise<Result<DossierDetail>> {
  const opened = await client.openDossier(dossierId);
  if (!opened.ok) return opened;
  // Status events from others are verified asynchronously; views use what is verified.
  await client.refreshViews(dossierId);
  const dir = client.directory();
  const leerling = client.getLeerling(dossierId);
  const hulpvragen: HulpvraagDetail[] = [];
  for (const hid of opened.value.hulpvragen) {
    const v = client.getHulpvraag(dossierId, hid);
    if (!v.ok) continue;
    const overgangen = client.allowedTransitions(dossierId, hid);
    const lvs = client.getLvs(dossierId, hid);
    const aanwezig = await client.presentForTransition(dossierId, hid);
    hulpvragen.push({
      view: v.value,
      schoolNaam: v.value.school.naam || '–',
      aanvrager: naamIn(dir, v.value.school.aanvrager) ?? (v.value.school.contactpersoon || '–'),
      coordinatorNaam: naamIn(dir, v.value.coordinator),
      eindstatus: isEindstatus(v.value.titel, v.value.status),
      overgangen: overgangen.ok ? overgangen.value : [],
      formulieren: await formulierenVan(client, dossierId, hid, v.value.titel),
      lvs: lvs.ok ? lvs.value : null,
      aanpak: v.value.aanpak,
      tlv: v.value.tlv,
      aanwezig: aanwezig.ok ? aanwezig.value : null,
      ondertekenverzoek: await ondertekenverzoekVan(client, dossierId, hid, v.value.titel),
    });
  }
  const overlegronden = opened.value.overlegronden.flatMap((oid) => {
    const o = client.getOverlegronde(dossierId, oid);
    return o.ok ? [o.value] : [];
  });
  const lezers = client.whoCanRead(dossierId);
  const log = client.accessLog(dossierId);
  const notities = client.getNotities(dossierId);
  return ok({
    dossierId,
    leerling: leerling.ok ? leerling.value : null,
    hulpvragen,
    overlegronden,
    notitie: notities.ok ? notities.value : '',
    lezers: lezers.ok ? lezers.value : [],
    toegangLog: log.ok ? log.value : [],
    waarschuwingen: opened.value.waarschuwingen,
  });
}

/** The form the hulpvraag's titel attaches (core/forms) with its answers, what is missing, and the signature verified now. */
async function formulierenVan(
  client: KindkluisClient,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  titel: string,
): Promise<FormulierView[]> {
  const def = formForHulpvraagTitel(titel);
  const waarden = client.getForm(dossierId, hulpvraagId);
  if (!def || !waarden.ok) return [];
  const check = checkForm(def, waarden.value);
  const voor = client.formVoorinvulling(dossierId, hulpvraagId);
  const sig = def.ondertekening ? await client.formSignature(dossierId, hulpvraagId, asId<FormulierId>(def.id)) : null;
  return [
    {
      id: def.id,
      definitie: def,
      waarden: waarden.value,
      voorinvulling: voor.ok ? voor.value : {},
      ontbrekend: check.missing.map((m) => m.label),
      ondertekening: sig?.ok ? sig.value : null,
      ondertekeningFout: sig && !sig.ok ? sig.error.message : null,
      opgeslagen: Object.keys(waarden.value).length > 0,
    },
  ];
}

/** The latest request to sign the titel's form, for a form that is signed at all. */
async function ondertekenverzoekVan(
  client: KindkluisClient,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  titel: string,
): Promise<SignatureRequestView | null> {
  const def = formForHulpvraagTitel(titel);
  if (!def?.ondertekening) return null;
  const r = await client.signatureRequest(dossierId, hulpvraagId, asId<FormulierId>(def.id));
  return r.ok ? r.value : null;
}

/** Whether this person is an ouder linked to the dossier (who may give toestemming): an ouder reads a dossier only through being linked to it (R46). */
export function isGekoppeldeOuder(client: KindkluisClient, dossierId: DossierId): boolean {
  const me = client.me();
  return me !== null && me.roles.includes('ouder') && client.getLeerling(dossierId).ok;
}
