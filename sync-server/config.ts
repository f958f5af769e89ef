// Command-line configuration of the relay: parsed and validated once, with
// Dutch messages for mistakes. Every limit has a flag (`--records-per-second 50`).
import { parseArgs } from 'node:util';
import { argsErrorInDutch } from './args-error.js';
import { z } from 'zod';
import { DEFAULT_LIMITS, LIMIT_NAMES, type LimitName, type Limits } from '../core/sync/protocol.js';
import { fromBase64Url } from '../core/crypto/bytes.js';
import { ok, fail, type Result, type KkError } from '../core/result.js';

export interface RelayConfig {
  readonly host: string;
  readonly port: number;
  readonly data: string;
  /** `postgres://…`: PostgreSQL storage shared by several relays; absent: lmdb under `data`. */
  readonly store: string | undefined;
  /** Open WebSocket connections per client address [P29]. */
  readonly connectionsPerIp: number;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  readonly trustProxy: boolean;
  /** Bytes of records and attachments per SWV; undefined: no quota [P29]. */
  readonly swvQuotaBytes: number | undefined;
  /** Per client address, over all its connections [P29]. */
  readonly preAuthFramesPerIpPerMinute: number;
  readonly anonymousWritesPerIpPerMinute: number;
  /** Mailboxes held at once: written before login (all SWVs together), and per SWV by its logged-in devices [P21]. */
  readonly anonymousMailboxes: number;
  readonly mailboxesPerSwv: number;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string | undefined;
  readonly digestMs: number;
  readonly allowSwvRegistration: boolean;
  readonly swvRoots: ReadonlyMap<string, Uint8Array>;
  readonly origins: readonly string[];
  readonly limits: Limits;
  readonly retentionMs: number;
  readonly gcIntervalMs: number;
  /** Maintenance: delete these dossiers (retention ended) and exit, without serving. */
  readonly deleteDossiers: readonly string[];
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export const USAGE = `Gebruik: npm run relay -- [opties]
  --host <adres>                 standaard 127.0.0.1
  --port <poort>                 standaard 8787
  --data <map>                   standaard ./data
  --store <url>                  postgres://gebruiker@host/db: PostgreSQL in plaats van lmdb onder --data,
                                 ook voor meerdere relays op één database
  --smtp-url <url>               bv. smtp://gebruiker:wachtwoord@mail.example:587 (zonder: alleen badge)
  --mail-from <adres>            afzender van de meldingsmail
  --digest-seconds <n>           één mail per ontvanger per venster (standaard 600)
  --swv-root <swvId>:<sleutel>   SWV-basissleutel (base64url), herhaalbaar
  --allow-swv-registration       nieuwe SWV's via register-swv toestaan (standaard uit: een publieke
                                 relay staat meestal op 127.0.0.1 achter een TLS-proxy)
  --no-swv-registration          uit (de standaard; blijft bestaan voor bestaande scripts)
  --connections-per-ip <n>       open verbindingen per clientadres (standaard 256; een school achter
                                 één NAT-adres heeft er veel nodig)
  --pre-auth-frames-per-ip-per-minute <n>
                                 frames vóór aanmelding per clientadres, over al zijn verbindingen
                                 samen (standaard 3000)
  --anonymous-writes-per-ip-per-minute <n>
                                 postbus- en registratieschrijfacties vóór aanmelding per clientadres
                                 (standaard 30)
  --anonymous-mailboxes <n>      postbussen geschreven vóór aanmelding, alle samen (standaard 50000)
  --mailboxes-per-swv <n>        postbussen per SWV, geschreven door aangemelde apparaten: uitnodigingen,
                                 apparaatkoppelingen, smoelenboek (standaard 20000)
  --swv-quota-mb <n>             opslag per SWV voor records en bijlagen in MB (standaard geen limiet)
  --trust-proxy                  achter een reverse proxy: clientadres uit X-Forwarded-For (laatste)
  --origin <origin>              extra toegestane origin voor aanmelding, bv. wss://relay.swv.nl
  --retention-days <n>           bewaartermijn van door een momentopname gedekte records (standaard 30)
  --gc-interval-minutes <n>      hoe vaak opgeruimd wordt (standaard 60)
  --delete-dossier <id>          onderhoud: verwijder dit dossier (bewaartermijn voorbij) en stop; herhaalbaar.
                                 Alleen terwijl de relay zelf niet draait.
${LIMIT_NAMES.map((n) => `  --${kebab(n)} <n>`.padEnd(33) + `standaard ${DEFAULT_LIMITS[n]}`).join('\n')}`;

const positiveInt = z.coerce.number().int().positive();

export function parseConfig(argv: readonly string[]): Result<RelayConfig, KkError<'configuratie-ongeldig'>> {
  const bad = (what: string) => fail('configuratie-ongeldig' as const, `Ongeldige optie: ${what}\n\n${USAGE}`);
  const limitOptions = Object.fromEntries(LIMIT_NAMES.map((n) => [kebab(n), { type: 'string' as const }]));
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '8787' },
        data: { type: 'string', default: './data' },
        store: { type: 'string' },
        'connections-per-ip': { type: 'string', default: '256' },
        'trust-proxy': { type: 'boolean' },
        'swv-quota-mb': { type: 'string' },
        'pre-auth-frames-per-ip-per-minute': { type: 'string', default: '3000' },
        'anonymous-writes-per-ip-per-minute': { type: 'string', default: '30' },
        'anonymous-mailboxes': { type: 'string', default: '50000' },
        'mailboxes-per-swv': { type: 'string', default: '20000' },
        'smtp-url': { type: 'string' },
        'mail-from': { type: 'string' },
        'digest-seconds': { type: 'string', default: '600' },
        'swv-root': { type: 'string', multiple: true, default: [] },
        'allow-swv-registration': { type: 'boolean' },
        'no-swv-registration': { type: 'boolean' },
        origin: { type: 'string', multiple: true, default: [] },
        'retention-days': { type: 'string', default: '30' },
        'gc-interval-minutes': { type: 'string', default: '60' },
        'delete-dossier': { type: 'string', multiple: true, default: [] },
        ...limitOptions,
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    return bad(argsErrorInDutch(e));
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const port = z.coerce.number().int().min(0).max(65535).safeParse(v.port);
  if (!port.success) return bad('--port');
  const digest = positiveInt.safeParse(v['digest-seconds']);
  if (!digest.success) return bad('--digest-seconds');
  const retention = z.coerce.number().nonnegative().safeParse(v['retention-days']);
  if (!retention.success) return bad('--retention-days');
  const gc = positiveInt.safeParse(v['gc-interval-minutes']);
  if (!gc.success) return bad('--gc-interval-minutes');

  const limits: Record<LimitName, number> = { ...DEFAULT_LIMITS };
  for (const n of LIMIT_NAMES) {
    const raw = v[kebab(n)];
    if (raw === undefined) continue;
    const value = positiveInt.safeParse(raw);
    if (!value.success) return bad(`--${kebab(n)}`);
    limits[n] = value.data;
  }

  const roots = new Map<string, Uint8Array>();
  for (const spec of (v['swv-root'] as string[] | undefined) ?? []) {
    const colon = spec.indexOf(':');
    const key = fromBase64Url(spec.slice(colon + 1));
    if (colon < 1 || !/^[A-Za-z0-9_-]{1,64}$/.test(spec.slice(0, colon)) || !key.ok || key.value.length !== 32)
      return bad(`--swv-root ${spec.slice(0, 80)}`);
    roots.set(spec.slice(0, colon), key.value);
  }

  const perIp = positiveInt.safeParse(v['connections-per-ip']);
  if (!perIp.success) return bad('--connections-per-ip');
  const preAuthPerIp = positiveInt.safeParse(v['pre-auth-frames-per-ip-per-minute']);
  if (!preAuthPerIp.success) return bad('--pre-auth-frames-per-ip-per-minute');
  const anonymousPerIp = positiveInt.safeParse(v['anonymous-writes-per-ip-per-minute']);
  if (!anonymousPerIp.success) return bad('--anonymous-writes-per-ip-per-minute');
  const anonymousMailboxes = positiveInt.safeParse(v['anonymous-mailboxes']);
  if (!anonymousMailboxes.success) return bad('--anonymous-mailboxes');
  const mailboxesPerSwv = positiveInt.safeParse(v['mailboxes-per-swv']);
  if (!mailboxesPerSwv.success) return bad('--mailboxes-per-swv');
  const quota = v['swv-quota-mb'] === undefined ? undefined : z.coerce.number().positive().safeParse(v['swv-quota-mb']);
  if (quota !== undefined && !quota.success) return bad('--swv-quota-mb');
  const store = v.store as string | undefined;
  if (store !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(store)) return bad('--store (verwacht postgres://…)');

  const deleteDossiers = (v['delete-dossier'] as string[] | undefined) ?? [];
  if (!deleteDossiers.every((d) => /^[A-Za-z0-9_-]{1,64}$/.test(d))) return bad('--delete-dossier');

  const host = String(v.host);
  const loopback = LOOPBACK.has(host);
  // Off unless asked for: a relay behind a TLS proxy binds to loopback too, so the address says nothing [P29].
  const allowSwvRegistration = v['no-swv-registration'] !== true && v['allow-swv-registration'] === true;
  const p = port.data;
  const bracket = host.includes(':') ? `[${host}]` : host;
  const origins = new Set<string>([`ws://${bracket}:${p}`, ...((v.origin as string[] | undefined) ?? [])]);
  if (loopback) for (const h of ['127.0.0.1', 'localhost', '[::1]']) origins.add(`ws://${h}:${p}`);

  return ok({
    host,
    port: p,
    data: String(v.data),
    store,
    connectionsPerIp: perIp.data,
    trustProxy: v['trust-proxy'] === true,
    preAuthFramesPerIpPerMinute: preAuthPerIp.data,
    anonymousWritesPerIpPerMinute: anonymousPerIp.data,
    anonymousMailboxes: anonymousMailboxes.data,
    mailboxesPerSwv: mailboxesPerSwv.data,
    swvQuotaBytes: quota === undefined ? undefined : Math.floor((quota.data ?? 0) * 1024 * 1024),
    smtpUrl: v['smtp-url'] as string | undefined,
    mailFrom: v['mail-from'] as string | undefined,
    digestMs: digest.data * 1000,
    allowSwvRegistration,
    swvRoots: roots,
    origins: [...origins],
    limits,
    retentionMs: retention.data * 24 * 3600_000,
    gcIntervalMs: gc.data * 60_000,
    deleteDossiers,
  });
}
