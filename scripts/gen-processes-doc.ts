// Writes docs/PROCESSES.md from the process definitions: `npx tsx scripts/gen-processes-doc.ts`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PROCESS_DEFINITIONS } from '../core/processes/process-set.js';
import { renderProcessesDoc } from '../core/processes/render-doc.js';

const target = fileURLToPath(new URL('../docs/PROCESSES.md', import.meta.url));
writeFileSync(target, renderProcessesDoc(PROCESS_DEFINITIONS));
console.log(`docs/PROCESSES.md bijgewerkt (${PROCESS_DEFINITIONS.length} processen).`);
