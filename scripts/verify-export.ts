// Checks a Kindkluis export (inzage or dossier voor de LBT) without Kindkluis:
//   npm run verify-export -- export.zip [--swv-root <swvId>:<base64url key>]
// Without --swv-root the root key in the file is used and its fingerprint is
// printed: compare it with the key the samenwerkingsverband publishes.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { nobleProvider } from '../core/crypto/noble-provider.js';
import { fromBase64Url } from '../core/crypto/bytes.js';
import { verifyExport } from '../core/export/export-manifest.js';
import { asId, type SwvId } from '../core/model/ids.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'swv-root': { type: 'string' } } });
const file = positionals[0];
if (!file) {
  console.error('Gebruik: npm run verify-export -- export.zip [--swv-root <swvId>:<sleutel>]');
  process.exit(2);
}
let roots: Map<SwvId, Uint8Array> | undefined;
if (values['swv-root']) {
  const [swv, key] = values['swv-root'].split(':');
  const bytes = key ? fromBase64Url(key) : undefined;
  if (!swv || !bytes?.ok) {
    console.error('--swv-root verwacht <swvId>:<base64url-sleutel>.');
    process.exit(2);
  }
  roots = new Map([[asId<SwvId>(swv), bytes.value]]);
}
const r = await verifyExport(nobleProvider, new Uint8Array(await readFile(file)), roots ? { roots } : {});
if (!r.ok) {
  console.error(`NIET IN ORDE: ${r.error.message}`);
  process.exit(1);
}
const v = r.value;
console.log(`In orde: ${v.manifest.bestanden.length} bestanden, compleet en ongewijzigd.`);
console.log(
  `Geëxporteerd op ${v.manifest.geexporteerdOp} door gebruiker ${v.signer.userId} (${v.signer.organisatie}), apparaat ${v.signer.deviceId}.`,
);
console.log(
  `SWV ${v.signer.swvId}, vingerafdruk van de basissleutel: ${v.swvRootVingerafdruk}${v.wortelUitBestand ? ' (uit het bestand zelf: vergelijk met de sleutel die het SWV publiceert)' : ''}.`,
);
