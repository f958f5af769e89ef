import { describe, expect, it } from 'vitest';
import { asId, type DossierId, type HulpvraagId, type ProcessId, type UserId } from '../../core/model/ids.js';
import type { Hulpvraag } from '../../core/model/hulpvraag.js';
import { TLV_VSO } from '../../core/processes/tlv-vso.js';
import { isOpen } from '../../core/workflow/available.js';
import { initialState } from '../../core/workflow/engine.js';
import { foldStatusEvents } from '../../core/workflow/fold.js';
import { reassignAanvrager } from '../../core/workflow/staff-change.js';
import type { HulpvraagContext } from '../../core/workflow/state.js';
import { CONFIG, IB, SCHOOL_A, SCHOOL_B, walk } from './fixtures.js';

const NEW = asId<UserId>('user-nieuwe-coo');

/** The engine's view of a hulpvraag model (production builds it from the documents: contextFor in client-workflow.ts). */
const contextOfHulpvraag = (h: Hulpvraag): HulpvraagContext => ({
  hulpvraagId: h.id,
  schoolId: h.schoolgegevens.schoolId,
  aanvrager: h.schoolgegevens.aanvrager,
  coordinator: h.coordinator,
  behandelaars: h.aanpak.map((a) => a.behandelaar.userId),
  betrokkenOrganisaties: h.betrokkenOrganisaties.map((b) => ({ organisationId: b.organisationId, relatie: b.relatie })),
});

function hulpvraag(id: string, over: Partial<Hulpvraag> = {}, endIt = false): Hulpvraag {
  const events = endIt ? walk(TLV_VSO, [{ by: 'intern-begeleider', to: 'TLV aanvraag ingetrokken' }]).log : [];
  return {
    id: asId<HulpvraagId>(id),
    dossierId: asId<DossierId>('d-1'),
    titel: 'TLV VSO',
    type: 'TLV VSO',
    processId: asId<ProcessId>('tlv-vso'),
    datum: '2026-11-01',
    schoolgegevens: { schoolId: SCHOOL_A, aanvrager: IB, contactpersoon: 'Oude COO', email: 'oude.coo@school.example' },
    omschrijving: '',
    coordinator: null,
    labels: [],
    bijlagen: [],
    aanpak: [],
    betrokkenOrganisaties: [],
    formulieren: [],
    statusEvents: events,
    ...over,
  };
}

const open = (h: Hulpvraag): boolean => {
  const init = initialState(TLV_VSO, h.titel, contextOfHulpvraag(h), CONFIG);
  if (!init.ok) throw new Error(init.error.message);
  return isOpen(foldStatusEvents(init.value, h.statusEvents).state);
};

describe('staff change (002 "Wat te doen bij een personeelwijziging?")', () => {
  it('moves aanvrager, contactpersoon and e-mail of every open hulpvraag of the school in one operation', () => {
    const list = [
      hulpvraag('hv-open-1'),
      hulpvraag('hv-open-2'),
      hulpvraag('hv-closed', {}, true),
      hulpvraag('hv-other-school', { schoolgegevens: { schoolId: SCHOOL_B, aanvrager: IB, contactpersoon: 'x', email: 'x@y.nl' } }),
      hulpvraag('hv-other-person', {
        schoolgegevens: {
          schoolId: SCHOOL_A,
          aanvrager: asId<UserId>('user-ander'),
          contactpersoon: 'Ander',
          email: 'ander@school.example',
        },
      }),
      hulpvraag('hv-by-email', {
        schoolgegevens: {
          schoolId: SCHOOL_A,
          aanvrager: asId<UserId>('user-legacy'),
          contactpersoon: 'Oude COO',
          email: 'Oude.COO@school.example ',
        },
      }),
    ];
    const r = reassignAanvrager(
      list,
      {
        schoolId: SCHOOL_A,
        van: { userId: IB, email: 'oude.coo@school.example' },
        naar: { userId: NEW, contactpersoon: 'Nieuwe COO', email: 'nieuwe.coo@school.example' },
      },
      open,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.gewijzigd).toEqual(['hv-open-1', 'hv-open-2', 'hv-by-email']);
    expect(r.value.gesloten).toEqual(['hv-closed']);
    const byId = new Map(r.value.hulpvragen.map((h) => [h.id, h]));
    expect(byId.get(asId<HulpvraagId>('hv-open-1'))?.schoolgegevens).toEqual({
      schoolId: SCHOOL_A,
      aanvrager: NEW,
      contactpersoon: 'Nieuwe COO',
      email: 'nieuwe.coo@school.example',
    });
    expect(byId.get(asId<HulpvraagId>('hv-closed'))?.schoolgegevens.aanvrager).toBe(IB);
    expect(byId.get(asId<HulpvraagId>('hv-other-school'))?.schoolgegevens.aanvrager).toBe(IB);
    expect(byId.get(asId<HulpvraagId>('hv-other-person'))?.schoolgegevens.aanvrager).toBe('user-ander');
    expect(r.value.hulpvragen).toHaveLength(list.length);
  });

  it('refuses a change to the same person or to an invalid e-mail address', () => {
    const same = reassignAanvrager(
      [],
      { schoolId: SCHOOL_A, van: { userId: IB, email: '' }, naar: { userId: IB, contactpersoon: 'x', email: 'x@y.nl' } },
      open,
    );
    expect(same.ok ? 'ok' : same.error.code).toBe('zelfde-persoon');
    const bad = reassignAanvrager(
      [],
      { schoolId: SCHOOL_A, van: { userId: IB, email: '' }, naar: { userId: NEW, contactpersoon: 'x', email: 'geen-adres' } },
      open,
    );
    expect(bad.ok ? 'ok' : bad.error.code).toBe('ongeldig-email');
  });
});
