// Inzage-export (AVG art. 15, issue 20): one call exports everything about the
// leerling that this person may read as a zip whose manifest is signed by the
// exporting device; the receiver verifies it without Kindkluis, a tampered
// file fails, and the export itself is in the access log. Real relay on 127.0.0.1.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asId, type DossierId, type FormulierId, type HulpvraagId, type OverlegrondeId, type SwvId } from '../../core/model/ids.js';
import { formForHulpvraagTitel } from '../../core/forms/definitions/form-set.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { utf8Decode, utf8Encode } from '../../core/crypto/bytes.js';
import { MANIFEST_FILE, SIGNATURE_FILE, verifyExport } from '../../core/export/export-manifest.js';
import { readZip, writeZip } from '../../core/export/stored-zip.js';
import { eventually, type Member } from '../sync/harness.js';
import { fileHulpvraag, internals, startWorld, type World } from './dossier-world.js';

// Schakelvoorziening: indienen needs no signed form (002, R48), so this test stays about the export.
const FORM = asId<FormulierId>(formForHulpvraagTitel('Schakelvoorziening')!.id);
const MARKER = 'bijlage-inhoud-7f3a';

let world: World;
let ilse: Member, sanne: Member, fg: Member;
let dossier: DossierId;
let hv: HulpvraagId;
let ronde: OverlegrondeId;
let zip: Uint8Array;
let files: ReadonlyMap<string, Uint8Array>;

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    {
      naam: 'Sanne Smit',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    {
      naam: 'Fien Gerritsen',
      functie: 'functionaris gegevensbescherming',
      organisation: { naam: 'SWV Noord', kind: 'swv' },
      roles: ['privacy-officer'],
    },
  ]);
  [ilse, sanne, fg] = world.members as [Member, Member, Member];
  const c = ilse.tc.client;
  ({ dossier, hv } = await fileHulpvraag(ilse, 'Schakelvoorziening', 'Aanvraag voor passend onderwijs'));
  await c.openDossier(dossier);
  expect((await c.setFormValues(dossier, hv, FORM, { doel: 'Terugkeer naar VSO De Brug' })).ok).toBe(true);
  expect((await c.addBijlage(dossier, hv, { bestandsnaam: 'verslag.txt', mediaType: 'text/plain', bytes: utf8Encode(MARKER) })).ok).toBe(
    true,
  );
  expect((await c.changeStatus(dossier, hv, 'SV aanvraag indienen')).ok).toBe(true);
  const or = await c.startOverlegronde(dossier, hv, {
    titel: 'Overleg',
    omschrijving: 'Afstemmen',
    einddatum: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    deelnemers: [sanne.userId],
  });
  if (!or.ok) throw new Error(or.error.message);
  ronde = or.value;
  expect((await c.postMessage(dossier, ronde, 'Vraag', 'Kun jij meekijken?')).ok).toBe(true);
  expect((await c.setNotities(dossier, 'Eigen aantekening voor het gesprek')).ok).toBe(true);
  expect((await c.flush(30_000)).ok).toBe(true);
  const r = await c.exportDossier(dossier);
  if (!r.ok) throw new Error(r.error.message);
  zip = r.value.bytes;
  const read = readZip(zip);
  if (!read.ok) throw new Error(read.error.message);
  files = read.value;
  expect(r.value.naam).not.toMatch(/Fenna|Kwartel/);
}, 180_000);

afterAll(async () => {
  await world?.close();
});

/** The zip again with `change` applied to its files (manifest and signature kept as they are unless changed). */
function rezip(change: (m: Map<string, Uint8Array>) => void): Uint8Array {
  const m = new Map(files);
  change(m);
  return writeZip([...m].map(([name, data]) => ({ name, data })));
}

describe('inzage-export [R70]', () => {
  it('lists every item this IB may read: leerling, own notities, hulpvraag with history, form (json and Word), bijlage, overlegronde, access list and log', () => {
    const names = [...files.keys()];
    for (const expected of [
      'index.html',
      'leerling.json',
      'notities.txt',
      'hulpvragen/1/hulpvraag.json',
      'hulpvragen/1/formulier.json',
      'hulpvragen/1/overlegronde-1.json',
      'toegang.json',
      'toegangslog.json',
      MANIFEST_FILE,
      SIGNATURE_FILE,
    ]) {
      expect(names).toContain(expected);
    }
    expect(names.some((n) => n.startsWith('hulpvragen/1/') && n.endsWith('.docx'))).toBe(true);
    const bijlage = names.find((n) => n.startsWith('hulpvragen/1/bijlagen/') && n.endsWith('verslag.txt'));
    expect(bijlage && utf8Decode(files.get(bijlage)!)).toBe(MARKER);
    expect(utf8Decode(files.get('leerling.json')!)).toContain('Kwartel');
    const hulpvraag = JSON.parse(utf8Decode(files.get('hulpvragen/1/hulpvraag.json')!)) as { history: { to: string }[] };
    expect(hulpvraag.history.map((h) => h.to)).toContain('SV aanvraag indienen');
    expect(utf8Decode(files.get('hulpvragen/1/overlegronde-1.json')!)).toContain('Kun jij meekijken?');
    expect(utf8Decode(files.get('hulpvragen/1/formulier.json')!)).toContain('VSO De Brug');
    expect(utf8Decode(files.get('notities.txt')!)).toBe('Eigen aantekening voor het gesprek');
    const index = utf8Decode(files.get('index.html')!);
    expect(index).toContain('Fenna Kwartel');
    expect(index).toContain('href="hulpvragen/1/bijlagen/');
    // Written for people: the moment in Dutch format and time, not an ISO string in UTC (issue 21).
    expect(index).toMatch(/Geëxporteerd uit Kindkluis op \d{2}-\d{2}-\d{4} \d{2}:\d{2} \(Nederlandse tijd\)/);
    // Every file of the zip but the manifest and its signature is listed in the manifest.
    const manifest = JSON.parse(utf8Decode(files.get(MANIFEST_FILE)!)) as { bestanden: { pad: string }[] };
    expect(manifest.bestanden.map((b) => b.pad).sort()).toEqual(names.filter((n) => n !== MANIFEST_FILE && n !== SIGNATURE_FILE).sort());
  });

  it('the manifest verifies against the SWV root the receiver knows, and against the root in the file (reported as such)', async () => {
    const roots = internals(ilse.tc).id!.roots;
    const v = await verifyExport(nobleProvider, zip, { roots });
    expect(v.ok && v.value.signer.userId).toBe(ilse.userId);
    expect(v.ok && v.value.wortelUitBestand).toBe(false);
    const self = await verifyExport(nobleProvider, zip);
    expect(self.ok && self.value.wortelUitBestand).toBe(true);
    expect(self.ok && v.ok && self.value.swvRootVingerafdruk).toBe(v.ok && v.value.swvRootVingerafdruk);
  });

  it('a changed, missing or added file, an edited manifest, or another SWV root fails verification', async () => {
    const roots = internals(ilse.tc).id!.roots;
    const code = async (bytes: Uint8Array, r = roots): Promise<string> => {
      const v = await verifyExport(nobleProvider, bytes, { roots: r });
      return v.ok ? 'ok' : v.error.code;
    };
    expect(await code(rezip((m) => m.set('leerling.json', utf8Encode('{"voornaam":"Ander"}'))))).toBe('bestand-gewijzigd');
    expect(await code(rezip((m) => m.delete('toegangslog.json')))).toBe('bestand-ontbreekt');
    expect(await code(rezip((m) => m.set('extra.txt', utf8Encode('x'))))).toBe('bestand-extra');
    // Dropping the log from the manifest too (to hide the export) breaks the signature.
    expect(
      await code(
        rezip((m) => {
          m.delete('toegangslog.json');
          const man = JSON.parse(utf8Decode(m.get(MANIFEST_FILE)!)) as { bestanden: { pad: string }[] };
          man.bestanden = man.bestanden.filter((b) => b.pad !== 'toegangslog.json');
          m.set(MANIFEST_FILE, utf8Encode(JSON.stringify(man, null, 2)));
        }),
      ),
    ).toBe('handtekening-ongeldig');
    const vreemd = (await nobleProvider.ed25519KeyPair()).publicKey;
    const other = new Map<SwvId, Uint8Array>([...roots.keys()].map((k) => [k, vreemd]));
    expect(await code(zip, other)).toBe('certificaat-ongeldig');
    // A flipped byte in the zip itself is caught as well.
    const flipped = zip.slice();
    flipped[40] = (flipped[40] ?? 0) ^ 1;
    expect(await code(flipped)).not.toBe('ok');
  });

  it('the export is in the access log, of the exporter (also inside the zip) and of the other members', async () => {
    const log = JSON.parse(utf8Decode(files.get('toegangslog.json')!)) as { action: string; actor: string }[];
    expect(log.some((e) => e.action === 'geëxporteerd' && e.actor === ilse.userId)).toBe(true);
    await eventually(
      async () => {
        await sanne.tc.client.tick();
        await fg.tc.client.tick();
        const s = sanne.tc.client.accessLog(dossier);
        const f = fg.tc.client.accessLog(dossier);
        const has = (r: typeof s): boolean => r.ok && r.value.some((e) => e.action === 'geëxporteerd' && e.actor === ilse.userId);
        return has(s) && has(f);
      },
      'export in het toegangslog van Sanne en de FG',
      30_000,
    );
  }, 60_000);

  it('an export holds only what the exporter may read: the FG gets the access list and log, no leerling or hulpvraag', async () => {
    await eventually(
      async () => {
        await fg.tc.client.tick();
        return fg.tc.client.whoCanRead(dossier).ok;
      },
      'FG heeft de toegangslijst',
      30_000,
    );
    const r = await fg.tc.client.exportDossier(dossier);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.bestanden).toContain('toegang.json');
    expect(r.value.bestanden.some((n) => n === 'leerling.json' || n.startsWith('hulpvragen/'))).toBe(false);
    expect(Buffer.from(r.value.bytes).toString('latin1')).not.toContain('Kwartel');
    expect((await verifyExport(nobleProvider, r.value.bytes)).ok).toBe(true);
    // No hulpvraag has ended, so no signed bewaartermijn record exists, and the FG reads no hulpvraag to compute one.
    const stand = fg.tc.client.bewaartermijn(dossier);
    expect(!stand.ok && stand.error.code).toBe('onvolledig');
  }, 60_000);

  it('the receiver checks the zip with `npm run verify-export`: exit 0 when in order, 1 when a file was changed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kk-export-'));
    const good = join(dir, 'export.zip');
    const bad = join(dir, 'gewijzigd.zip');
    await writeFile(good, zip);
    await writeFile(
      bad,
      rezip((m) => m.set('leerling.json', utf8Encode('{}'))),
    );
    const run = promisify(execFile);
    const ok = await run('node_modules/.bin/tsx', ['scripts/verify-export.ts', good]);
    expect(ok.stdout).toContain('In orde');
    const refused = await run('node_modules/.bin/tsx', ['scripts/verify-export.ts', bad]).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain('leerling.json');
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});
