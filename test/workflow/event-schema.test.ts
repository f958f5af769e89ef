import { describe, expect, it } from 'vitest';
import { tlvReminderDue } from '../../core/workflow/tlv.js';
import { CONFIG, TLV } from './fixtures.js';

describe('aanpak and reminders', () => {
  it('the TLV reminder is due from the reminder date until the TLV ends', () => {
    expect(tlvReminderDue(TLV, CONFIG, '2028-01-30')).toBe(false);
    expect(tlvReminderDue(TLV, CONFIG, '2028-01-31')).toBe(true);
    expect(tlvReminderDue(TLV, CONFIG, '2028-07-31')).toBe(true);
    expect(tlvReminderDue(TLV, CONFIG, '2028-08-01')).toBe(false);
  });
});
