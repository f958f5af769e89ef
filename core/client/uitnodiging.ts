// What an invitation hands over: the code and the server address, as one line a
// person can paste (`CODE @ wss://…`), so nobody has to find the server setting.
// Read on the joiner's device only: the address chooses the server, and the code
// never leaves the device; the server sees only mailboxes named by its hash [R153].
import { fail, ok, type Result } from '../result.js';
import { normaliseInvitationCode } from './onboarding.js';

export interface ServerAdres {
  /** `ws://host:port` or `wss://host:port`, without path or query. */
  readonly url: string;
  /** The host-permission pattern for this server only. */
  readonly origin: string;
}

/** A server address: wss:// anywhere, ws:// only on this device (loopback). */
export function parseServerAdres(raw: string): Result<ServerAdres> {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return fail('serveradres-ongeldig', 'Dit is geen geldig adres. Gebruik bijvoorbeeld ws://127.0.0.1:8787 of wss://kindkluis.swv.nl.');
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return fail('serveradres-ongeldig', 'Het serveradres begint met ws:// of wss://.');
  if (u.protocol === 'ws:' && !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
    return fail(
      'serveradres-onversleuteld',
      'Gebruik wss:// voor een server op een ander apparaat; ws:// is alleen toegestaan op dit apparaat (127.0.0.1).',
    );
  }
  if (u.username !== '' || u.password !== '')
    return fail('serveradres-ongeldig', 'Een serveradres bevat geen gebruikersnaam of wachtwoord.');
  return ok({ url: `${u.protocol}//${u.host}`, origin: `${u.protocol}//${u.hostname}/*` });
}

/** The line on the handover letter and in the clipboard: the code, then the server it belongs to. */
export const uitnodigingsRegel = (code: string, serverUrl: string): string => `${code} @ ${serverUrl}`;

const ADRES = /wss?:\/\/[^\s@]*/i;

/**
 * Reads what the invitee pasted or typed: just the code (as before), or the code with the server address
 * from the letter, in either order, on one line or two. An address that is not acceptable is refused,
 * never silently dropped: the invitee would otherwise join the wrong server.
 */
export function leesUitnodiging(raw: string): Result<{ readonly code: string; readonly server: ServerAdres | null }> {
  const m = ADRES.exec(raw);
  const rest = (m ? raw.slice(0, m.index) + ' ' + raw.slice(m.index + m[0].length) : raw).replace(/@/g, ' ');
  const server = m ? parseServerAdres(m[0]) : ok(null);
  if (!server.ok) return server;
  const code = normaliseInvitationCode(rest);
  return code.ok ? ok({ code: code.value, server: server.value }) : code;
}
