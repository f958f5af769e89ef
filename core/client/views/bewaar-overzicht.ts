// The FG's screens (privacy, bewaartermijnen) over the client API: every dossier this browser
// holds, named by its leerling or, for someone without inzage in the leerling (the FG), by its id
// only, never by content; and per dossier the retention date, any hold and the day of deletion.
import type { DossierId } from '../../model/ids.js';
import type { DossierSummary, KindkluisClient } from '../api.js';

/** One row of the FG's retention overview (days as YYYY-MM-DD; null: not fixed). */
export interface BewaarRegel {
  readonly id: string;
  readonly naam: string;
  readonly bewaarTot: string | null;
  readonly bewaarplichtTot: string | null;
  readonly vernietigOp: string | null;
  /** False while this device lacks the access list's key: a bewaarplicht cannot be signed yet. */
  readonly kanVastleggen: boolean;
}

/** A dossier's name on the FG's screens: the leerling's, else "Dossier" and the first characters of its id. */
const dossierNaam = (id: DossierId, leerlingNaam: string | null): string => leerlingNaam ?? `Dossier ${id.slice(0, 8)}`;

export function privacyDossiersVan(dossiers: readonly DossierSummary[]): { readonly id: string; readonly naam: string }[] {
  return dossiers.map((d) => ({ id: d.id, naam: dossierNaam(d.id, d.leerlingNaam) }));
}

export function bewaarRegelsVan(client: KindkluisClient): BewaarRegel[] {
  const namen = new Map(client.listDossiers().map((d) => [d.id, d.leerlingNaam]));
  return client.bewaarOverzicht().map((r) => ({
    id: r.dossierId,
    naam: dossierNaam(r.dossierId, namen.get(r.dossierId) ?? null),
    bewaarTot: r.bewaarTot,
    bewaarplichtTot: r.bewaarplichtTot,
    vernietigOp: r.vernietigOp,
    kanVastleggen: r.kanVastleggen,
  }));
}
