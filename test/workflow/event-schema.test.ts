import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asId, type DossierId, type ProcessId } from '../../core/model/ids.js';
import type { Hulpvraag } from '../../core/model/hulpvraag.js';
import { TLV_VSO, processOfHulpvraag } from '../../core/processes/index.js';
import { deriveHulpvraagStatus } from '../../core/workflow/derive.js';
import { parseRecordedStatusEvent, parseStatusLog } from '../../core/workflow/event-schema.js';
import { tlvReminderDue } from '../../core/workflow/tlv.js';
import { CONFIG, CONTEXT, IB, SCHOOL_A, TLV, walk } from './fixtures.js';

describe('status events from other clients', () => {
  it('a log that went through JSON (sync) parses back to the same events and folds to the same status', () => {
    const { log, state } = walk(TLV_VSO, [
      { by: 'intern-begeleider', to: 'TLV aanvraag indienen' },
      { by: 'commissie-toelaatbaarheid', to: 'TLV afgegeven', tlv: TLV },
    ]);
    const parsed = parseStatusLog(JSON.parse(JSON.stringify(log)) as unknown[]);
    expect(parsed.unreadable).toBe(0);
    expect(parsed.events).toEqual(log);
    const h: Hulpvraag = {
      id: CONTEXT.hulpvraagId, dossierId: asId<DossierId>('d'), titel: 'TLV VSO', type: 'TLV VSO', processId: asId<ProcessId>('tlv-vso'), datum: '2026-11-23',
      schoolgegevens: { schoolId: SCHOOL_A, aanvrager: IB, contactpersoon: 'IB', email: 'ib@school.example' }, omschrijving: '', coordinator: CONTEXT.coordinator,
      labels: [], bijlagen: [], aanpak: [], betrokkenOrganisaties: [], formulieren: [], statusEvents: parsed.events,
    };
    const def = processOfHulpvraag(h);
    expect(def.ok && def.value.id).toBe('tlv-vso');
    const derived = def.ok ? deriveHulpvraagStatus(h, def.value, CONFIG) : undefined;
    expect(derived?.ok && derived.value.state.status).toBe(state.status);
    expect(derived?.ok && derived.value.state.tlv).toEqual(TLV);
  });

  it('hostile input is reported as unreadable, never thrown, and does not stop the rest of the log', () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 10 }), (junk) => {
        const r = parseStatusLog(junk);
        expect(r.events.length + r.unreadable).toBe(junk.length);
      }),
    );
    const bad = parseRecordedStatusEvent({ kind: 'status-change', id: 'x', at: 'gisteren', from: 'a', to: 'b', actor: { userId: 'u', organisationId: 'o', roles: ['koning'] } });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('statusgebeurtenis-ongeldig');
  });
});

describe('aanpak and reminders', () => {
  it('the TLV reminder is due from the reminder date until the TLV ends', () => {
    expect(tlvReminderDue(TLV, CONFIG, '2028-01-30')).toBe(false);
    expect(tlvReminderDue(TLV, CONFIG, '2028-01-31')).toBe(true);
    expect(tlvReminderDue(TLV, CONFIG, '2028-07-31')).toBe(true);
    expect(tlvReminderDue(TLV, CONFIG, '2028-08-01')).toBe(false);
  });
});
