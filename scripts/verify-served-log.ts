// Checks a downloaded bezorglogboek (signed served log, PROTOCOL P83) without Kindkluis:
//   npm run verify-served-log -- bezorglogboek.json [--vingerafdruk "ab12 cd34 ef56 7890"]
// Without --vingerafdruk the key in the file is used and its fingerprint is
// printed: compare it with the one the Privacy view showed or the operator publishes.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { nobleProvider } from '../core/crypto/noble-provider.js';
import { verifyServedLogEvidence } from '../core/sync/served-log-signature.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { vingerafdruk: { type: 'string' } } });
const file = positionals[0];
if (!file) {
  console.error('Gebruik: npm run verify-served-log -- bezorglogboek.json [--vingerafdruk "<vingerafdruk>"]');
  process.exit(2);
}
const r = await verifyServedLogEvidence(nobleProvider, await readFile(file, 'utf8'));
if (!r.ok) {
  console.error(`NIET IN ORDE: ${r.error.message}`);
  process.exit(1);
}
const v = r.value;
const expected = values.vingerafdruk?.trim().toLowerCase();
if (expected !== undefined && expected !== v.fingerprint) {
  console.error(`NIET IN ORDE: ondertekend met sleutel ${v.fingerprint}, niet met ${expected}.`);
  process.exit(1);
}
console.log(`In orde: ${v.entries.length} regels van dossier ${v.dossier}, ongewijzigd.`);
console.log(
  `Ondertekend door de server op ${new Date(v.at).toISOString()}, sleutel ${v.fingerprint}${expected === undefined ? ' (uit het bestand zelf: vergelijk met de vingerafdruk die u eerder zag)' : ''}.`,
);
console.log('Dit bewijst wat de server zei te hebben bezorgd, niet dat de lijst volledig is.');
