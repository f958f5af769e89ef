// "TLV loopt af" (issue 17): half a year before a TLV ends (the SWV's
// `tlvHerinneringDagenVoorEinde`), the school and the SWV's coördinator are
// reminded that a herbeoordeling is due. Nobody has to be online on that day
// to send it: every client of a person it concerns works it out from the TLV
// in the signed status event and its own clock, and the extension lists it
// among the meldingen until the TLV has ended. Nothing leaves the device.
import { scopeKind } from '../access/rooms.js';
import type { IsoDate } from '../model/dates.js';
import { asId, type DossierId, type HulpvraagId } from '../model/ids.js';
import { SCHOOL_AANVRAGER_ROLES } from '../model/role.js';
import { processOfHulpvraag } from '../processes/process-set.js';
import { DEFAULT_SWV_PROCESS_CONFIG } from '../workflow/definition.js';
import { tlvHerinneringsdatum, tlvReminderDue } from '../workflow/tlv.js';
import type { ClientCore } from './client-core.js';
import { getHulpvraag } from './client-hulpvragen.js';

export interface TlvHerinnering {
  readonly dossierId: DossierId;
  readonly hulpvraagId: HulpvraagId;
  readonly titel: string;
  readonly volgnummer: number;
  readonly einddatum: IsoDate;
  /** From this day on the reminder shows. */
  readonly vanaf: IsoDate;
}

/** The TLVs this person is to be reminded of today: of their own school (aanvrager, IB/COO) or as the SWV's coördinator. */
export function tlvHerinneringen(c: ClientCore): readonly TlvHerinnering[] {
  const id = c.id;
  if (!id) return [];
  const today = c.now().toISOString().slice(0, 10);
  const config = DEFAULT_SWV_PROCESS_CONFIG;
  const out: TlvHerinnering[] = [];
  for (const st of c.dossiers.values()) {
    if (!st.access) continue;
    for (const scope of st.access.scopes.keys()) {
      if (scopeKind(scope) !== 'hulpvraag') continue;
      const hv = getHulpvraag(c, st.id, asId<HulpvraagId>(scope.slice('hulpvraag:'.length)));
      if (!hv.ok || hv.value.tlv === null) continue;
      // Only while the TLV is what the hulpvraag stands at: not after a later status replaced it.
      const def = processOfHulpvraag(hv.value);
      if (!def.ok || def.value.statuses.find((s) => s.status === hv.value.status)?.recordsTlv !== true) continue;
      const school =
        hv.value.school.aanvrager === id.userId ||
        (id.organisationId === st.access.owner && id.roles.some((r) => (SCHOOL_AANVRAGER_ROLES as readonly string[]).includes(r)));
      const swv = hv.value.coordinator === id.userId || id.roles.includes('swv-coordinator');
      if (!school && !swv) continue;
      const tlv = hv.value.tlv;
      if (!tlvReminderDue(tlv, config, today)) continue;
      out.push({
        dossierId: st.id,
        hulpvraagId: hv.value.id,
        titel: hv.value.titel,
        volgnummer: tlv.volgnummer,
        einddatum: tlv.einddatum,
        vanaf: tlvHerinneringsdatum(tlv, config),
      });
    }
  }
  return out.sort((a, b) => a.einddatum.localeCompare(b.einddatum));
}
