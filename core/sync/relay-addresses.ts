// A client may know several relays of one hosted service (they share one
// database, PROTOCOL P28): the relay setting then holds a list, separated by
// commas or spaces, and each new connection after the first tries the next one,
// so a client whose relay went away moves on. The outbox resends what was not
// acknowledged; a relay answers a replay with its original seq, so nothing is
// lost or stored twice.

/** The addresses in a relay setting, in order (one address is a list of one). */
function parseRelayAddresses(setting: string): string[] {
  return setting.split(/[\s,]+/).filter((a) => a !== '');
}

/** The address for connection attempt `attempt` (0, 1, 2, …): round robin over the list. */
export function relayAddressAt(setting: string, attempt: number): string {
  const list = parseRelayAddresses(setting);
  return list.length === 0 ? setting : (list[attempt % list.length] ?? setting);
}
