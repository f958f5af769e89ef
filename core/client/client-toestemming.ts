// The ouders' digitale toestemming [R118] (seed 001: the dossier goes to the
// school van voorkeur "met toestemming van ouders"). An ouder linked to the
// dossier gives or withdraws it from their own browser as an access event in
// the dossier's `toegang` room (P50), signed by their device like every
// envelope, so only that ouder's device can make it and every member can see
// who gave it when. The process definition names which organisations wait for
// it (`toestemmingOuders`); `metToestemming` is the one place that applies it,
// for access (client-access.ts) and meldingen (client-hulpvragen.ts) alike.
import type { DossierId, HulpvraagId, UserId } from '../model/ids.js';
import type { ProcessDefinition } from '../workflow/definition.js';
import type { HulpvraagContext } from '../workflow/state.js';
import { fail, ok, type Result } from '../result.js';
import { roomOf } from '../access/rooms.js';
import type { ClientCore } from './client-core.js';
import { linkedOuders } from './client-ouders.js';
import { encodeAccessEvent, type DossierState, type ToestemmingOnderwerp } from './dossier-state.js';
import { locked } from './state/session.js';
import { unknownDossier } from './state/dossier-registry.js';

export type ToestemmingVoor = ToestemmingOnderwerp['voor'];

export interface ToestemmingStand {
  /** True while at least one linked ouder gave it and none withdrew it since. */
  readonly gegeven: boolean;
  /** Per linked ouder their last word on it, oldest first. */
  readonly ouders: readonly { readonly ouder: UserId; readonly naam: string; readonly gegeven: boolean; readonly at: string }[];
}

/** The linked ouders' last word on sharing hulpvraag `hv` with the organisations of `voor`. */
export function toestemmingStand(c: ClientCore, st: DossierState, hv: HulpvraagId, voor: ToestemmingVoor): ToestemmingStand {
  if (!st.access) return { gegeven: false, ouders: [] };
  const ouders = new Set(linkedOuders(c, st.access, c.now().getTime()));
  const last = new Map<UserId, { gegeven: boolean; at: number }>();
  // In the relay's order: a later event of the same ouder replaces an earlier one.
  for (const e of st.accessEvents) {
    if (e.toestemming === undefined || e.toestemming.hv !== hv || e.toestemming.voor !== voor || !ouders.has(e.actor)) continue;
    last.set(e.actor, { gegeven: e.action === 'toestemming-gegeven', at: e.at });
  }
  const rows = [...last]
    .map(([ouder, v]) => ({ ouder, naam: c.directory.nameOf(ouder), gegeven: v.gegeven, at: new Date(v.at).toISOString() }))
    .sort((a, b) => a.at.localeCompare(b.at));
  return { gegeven: rows.length > 0 && rows.every((r) => r.gegeven), ouders: rows };
}

/** The hulpvraag's context as access and meldingen use it: organisations waiting for a toestemming that does not stand are left out. */
export function metToestemming(
  c: ClientCore,
  st: DossierState,
  definition: ProcessDefinition,
  context: HulpvraagContext,
): HulpvraagContext {
  const wacht = definition.toestemmingOuders ?? [];
  if (wacht.length === 0) return context;
  const zonder = new Set(wacht.filter((voor) => !toestemmingStand(c, st, context.hulpvraagId, voor).gegeven));
  if (zonder.size === 0) return context;
  return { ...context, betrokkenOrganisaties: context.betrokkenOrganisaties.filter((b) => !zonder.has(b.relatie)) };
}

/** A status change that would share with an organisation still waiting for toestemming is refused, in Dutch. */
export function checkToestemmingVoorStatus(
  c: ClientCore,
  st: DossierState,
  definition: ProcessDefinition,
  hv: HulpvraagId,
  to: string,
): Result<void> {
  const target = definition.statuses.find((s) => s.status === to);
  for (const voor of definition.toestemmingOuders ?? []) {
    const deelt = target?.access.some((a) => a.to.kind === 'betrokken-organisatie' && a.to.relatie === voor) === true;
    if (deelt && !toestemmingStand(c, st, hv, voor).gegeven) {
      return fail(
        'toestemming-ontbreekt',
        `De ouders hebben (nog) geen toestemming gegeven om het dossier te delen met de ${voor.replaceAll('-', ' ')}. Een gekoppelde ouder geeft die in Kindkluis op het tabblad Hulpvraag; daarna kan '${to}' worden gekozen.`,
      );
    }
  }
  return ok(undefined);
}

/** A linked ouder gives (or withdraws) toestemming from their own device; admin devices act on it at their next tick. */
export async function geefToestemming(
  c: ClientCore,
  dossierId: DossierId,
  hv: HulpvraagId,
  voor: ToestemmingVoor,
  gegeven: boolean,
): Promise<Result<void>> {
  const id = c.id;
  const engine = c.relay.engine;
  if (!id || !engine) return locked();
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return unknownDossier();
  if (!linkedOuders(c, st.access, c.now().getTime()).includes(id.userId)) {
    return fail('niet-toegestaan', 'Alleen een ouder die aan dit dossier is gekoppeld, kan toestemming geven of intrekken.');
  }
  const at = c.now().getTime();
  const action = gegeven ? 'toestemming-gegeven' : 'toestemming-ingetrokken';
  const r = await engine.submit(roomOf(dossierId, 'toegang'), 'access', encodeAccessEvent(at, c.session.deviceCert, action, { hv, voor }));
  if (!r.ok) return r;
  st.accessEvents.push({ at, actor: id.userId, action, toestemming: { hv, voor } });
  return ok(undefined);
}
