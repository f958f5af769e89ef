// How much of the code base one status change runs (issue 14's "files a status change touches"):
// V8's precise coverage, reset right before `changeStatus` and read once it resolves, and again after
// the background work it starts (access reconcile, sealing, index flush, notification) has settled.
// A real relay on 127.0.0.1 runs in this process, so its files are counted apart.
//   npx tsx scripts/status-change-footprint.ts
import { Session } from 'node:inspector/promises';
import { fileHulpvraag, startWorld, TWO_IBS } from '../test/client/dossier-world.js';
import type { Member } from '../test/sync/harness.js';

const FROM = 'TLV voorlopige aanvraag';
const TO = process.env['KK_STATUS'] ?? 'TLV aanvraag ingetrokken';

interface Coverage {
  result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
}

function touched(cov: Coverage): Map<string, number> {
  const files = new Map<string, number>();
  for (const script of cov.result) {
    const m = /\/work\/[^/]+\/((?:core|sync-server|extension)\/.*\.tsx?)$/.exec(script.url.replace(/^file:\/\//, ''));
    if (!m?.[1]) continue;
    const calls = script.functions.filter((f) => (f.ranges[0]?.count ?? 0) > 0).length;
    if (calls > 0) files.set(m[1], calls);
  }
  return files;
}

async function main(): Promise<void> {
  const world = await startWorld(TWO_IBS);
  try {
    const [ilse] = world.members as [Member];
    const c = ilse.tc.client;
    const warm = await fileHulpvraag(ilse);
    const measured = await fileHulpvraag(ilse);
    // The same change once before, so lazily loaded code and first-use caches do not count.
    const w = await c.changeStatus(warm.dossier, warm.hv, TO);
    if (!w.ok) throw new Error(`${FROM} → ${TO}: ${w.error.message}`);
    await c.flush(30_000);
    await new Promise((r) => setTimeout(r, 1_000));

    const s = new Session();
    s.connect();
    await s.post('Profiler.enable');
    await s.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    await s.post('Profiler.takePreciseCoverage'); // resets the counts
    const r = await c.changeStatus(measured.dossier, measured.hv, TO);
    if (!r.ok) throw new Error(r.error.message);
    const call = touched((await s.post('Profiler.takePreciseCoverage')) as Coverage);
    await c.flush(30_000);
    await new Promise((res) => setTimeout(res, 1_000));
    const after = touched((await s.post('Profiler.takePreciseCoverage')) as Coverage);
    await s.post('Profiler.stopPreciseCoverage');
    s.disconnect();

    const all = new Map(call);
    for (const [f, n] of after) all.set(f, (all.get(f) ?? 0) + n);
    const count = (m: Map<string, number>, prefix: string) => [...m.keys()].filter((f) => f.startsWith(prefix)).length;
    const line = (label: string, m: Map<string, number>) =>
      `${label}: ${count(m, 'core/')} files of core/ (${count(m, 'core/client/')} in core/client), ${count(m, 'sync-server/')} of the relay`;
    console.log(`Status change ${FROM} → ${TO}, through the client API against a real relay:`);
    console.log(line('  until changeStatus resolves', call));
    console.log(line('  with the work it starts, until settled', all));
    if (process.env['KK_LIST']) for (const f of [...all.keys()].sort()) console.log(`    ${f}`);
  } finally {
    await world.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
