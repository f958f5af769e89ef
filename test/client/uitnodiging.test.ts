// The invitation as one line (issue 21): the code with the server address, read on the joiner's device.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { leesUitnodiging, parseServerAdres, uitnodigingsRegel } from '../../core/client/uitnodiging.js';
import { joinRequestBox, newInvitationCode } from '../../core/client/onboarding.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';

const CODE = 'ABCD-EFGH-JKMN-PQRS-TVWX';

describe('the invitation line: code and server address', () => {
  it('still takes just the code, typed loosely, and sets no server', () => {
    const r = leesUitnodiging(' abcd efgh-jkmn pqrs tvwx ');
    expect(r.ok && r.value).toEqual({ code: CODE, server: null });
  });

  it('takes the line from the handover letter, in either order, on one line or two [R153]', () => {
    for (const regel of [
      uitnodigingsRegel(CODE, 'wss://kindkluis.swv.nl'),
      `${CODE}@wss://kindkluis.swv.nl`,
      `wss://kindkluis.swv.nl\n${CODE.toLowerCase()}`,
      `${CODE}\nwss://kindkluis.swv.nl/`,
    ]) {
      const r = leesUitnodiging(regel);
      expect(r.ok && r.value, regel).toEqual({ code: CODE, server: { url: 'wss://kindkluis.swv.nl', origin: 'wss://kindkluis.swv.nl/*' } });
    }
    const lokaal = leesUitnodiging(uitnodigingsRegel(CODE, 'ws://127.0.0.1:9000'));
    expect(lokaal.ok && lokaal.value.server?.url).toBe('ws://127.0.0.1:9000');
  });

  it('refuses an address it cannot use instead of dropping it, so nobody joins the wrong server [R153]', () => {
    for (const [regel, code] of [
      [uitnodigingsRegel(CODE, 'ws://kindkluis.swv.nl'), 'serveradres-onversleuteld'],
      [`${CODE} @ wss://`, 'serveradres-ongeldig'],
      [`${CODE} @ wss://iemand:geheim@kindkluis.swv.nl`, 'serveradres-ongeldig'],
    ] as const) {
      const r = leesUitnodiging(regel);
      expect(r.ok ? 'ok' : r.error.code, regel).toBe(code);
    }
    expect(leesUitnodiging(`${CODE.slice(0, -1)} @ wss://kindkluis.swv.nl`).ok).toBe(false);
    // The settings screen uses the same rule for a typed address.
    expect(parseServerAdres('ws://192.168.1.5:8787').ok).toBe(false);
  });

  it('reads back every line it writes, and the server sees the same mailbox as for the bare code [R153]', async () => {
    const provider = nobleProvider;
    const host = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}\.[a-z]{2,6}$/);
    await fc.assert(
      fc.asyncProperty(host, fc.integer({ min: 1, max: 65535 }), async (h, port) => {
        const code = newInvitationCode(provider);
        const r = leesUitnodiging(uitnodigingsRegel(code, `wss://${h}:${port}`));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value.code).toBe(code);
        expect(r.value.server?.url).toBe(port === 443 ? `wss://${h}` : `wss://${h}:${port}`);
        expect(await joinRequestBox(provider, r.value.code)).toEqual(await joinRequestBox(provider, code));
      }),
      { numRuns: 40 },
    );
  });
});
