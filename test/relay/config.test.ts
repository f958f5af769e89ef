// The relay's command line: defaults, limits, SWV roots and origins, and
// Dutch refusals of bad options.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../sync-server/config.js';
import { DEFAULT_LIMITS } from '../../core/sync/protocol.js';
import { toBase64Url } from '../../core/crypto/bytes.js';

describe('relay command line [P12, P20]', () => {
  it('defaults to 127.0.0.1:8787, ./data, default limits and SWV registration off, also on loopback [P29]', () => {
    const c = parseConfig([]);
    expect(
      c.ok && { host: c.value.host, port: c.value.port, data: c.value.data, reg: c.value.allowSwvRegistration, limits: c.value.limits },
    ).toEqual({
      host: '127.0.0.1',
      port: 8787,
      data: './data',
      reg: false,
      limits: DEFAULT_LIMITS,
    });
    expect(c.ok && c.value.origins).toContain('ws://localhost:8787');
  });

  it('[P20] turns SWV registration off by default on a public address and accepts roots as <swvId>:<key>', () => {
    const key = toBase64Url(new Uint8Array(32).fill(5));
    const c = parseConfig(['--host', '0.0.0.0', '--swv-root', `swv-a:${key}`, '--origin', 'wss://relay.swv.example']);
    expect(c.ok && c.value.allowSwvRegistration).toBe(false);
    expect(c.ok && c.value.swvRoots.get('swv-a')).toEqual(new Uint8Array(32).fill(5));
    expect(c.ok && c.value.origins).toEqual(['ws://0.0.0.0:8787', 'wss://relay.swv.example']);
    const on = parseConfig(['--host', '0.0.0.0', '--allow-swv-registration']);
    expect(on.ok && on.value.allowSwvRegistration).toBe(true);
    const off = parseConfig(['--no-swv-registration']);
    expect(off.ok && off.value.allowSwvRegistration).toBe(false);
  });

  it('[P12] sets every limit from its flag', () => {
    const c = parseConfig(['--records-per-second', '7', '--open-rooms', '3', '--max-frame-bytes', '1000']);
    expect(c.ok && [c.value.limits.recordsPerSecond, c.value.limits.openRooms, c.value.limits.maxFrameBytes]).toEqual([7, 3, 1000]);
  });

  it('refuses unknown options, bad numbers and malformed roots with a Dutch message and the usage', () => {
    for (const argv of [
      ['--bogus'],
      ['--port', 'x'],
      ['--records-per-second', '-1'],
      ['--swv-root', 'zonder-sleutel'],
      ['--swv-root', 'a:AAAA'],
    ]) {
      const c = parseConfig(argv);
      expect(c.ok).toBe(false);
      if (!c.ok) {
        expect(c.error.code).toBe('configuratie-ongeldig');
        expect(c.error.message).toContain('Ongeldige optie');
        expect(c.error.message).toContain('Gebruik: npm run relay');
      }
    }
    // What Node's argument parser says is said again in Dutch, naming what the user typed.
    const said = (argv: string[]) => {
      const c = parseConfig(argv);
      return c.ok ? '' : c.error.message.split('\n')[0];
    };
    expect(said(['--bogus'])).toBe('Ongeldige optie: onbekende optie --bogus');
    expect(said(['--port'])).toContain('optie --port heeft een waarde nodig');
    expect(said(['extra'])).toContain('onverwacht argument extra');
  });
});
