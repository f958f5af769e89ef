import { describe, expect, it } from 'vitest';
import { asId, type HulpvraagId } from '../../core/model/ids.js';
import { TEAM_SCHOOLONDERSTEUNING } from '../../core/processes/index.js';
import { effectsForNewAanpak } from '../../core/workflow/participants.js';
import { tlvReminderDue } from '../../core/workflow/tlv.js';
import { CONFIG, TLV, start } from './fixtures.js';

describe('aanpak and reminders', () => {
  it('adding an aanpak mails the behandelaar and gives the access a behandelaar has in the current status (003)', () => {
    const s = start(TEAM_SCHOOLONDERSTEUNING);
    const fx = effectsForNewAanpak(s);
    expect(fx[0]).toEqual({ kind: 'notify', hulpvraagId: asId<HulpvraagId>('hv-1'), to: { kind: 'behandelaar' }, status: 'AANGEMELD' });
    expect(fx.slice(1).map((e) => (e.kind === 'grant-scope' ? `${e.scope}:${e.rights.join('+')}` : e.kind))).toEqual(['hulpvraag:read+write', 'formulieren:read+write', 'leerling:read']);
  });

  it('the TLV reminder is due from the reminder date until the TLV ends', () => {
    expect(tlvReminderDue(TLV, CONFIG, '2028-01-30')).toBe(false);
    expect(tlvReminderDue(TLV, CONFIG, '2028-01-31')).toBe(true);
    expect(tlvReminderDue(TLV, CONFIG, '2028-07-31')).toBe(true);
    expect(tlvReminderDue(TLV, CONFIG, '2028-08-01')).toBe(false);
  });
});
