import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROCESS_DEFINITIONS } from '../../core/processes/process-set.js';
import { renderProcessesDoc } from '../../core/processes/render-doc.js';

describe('docs/PROCESSES.md', () => {
  it('is exactly what the definitions generate (run `npx tsx scripts/gen-processes-doc.ts` after changing a process)', () => {
    const committed = readFileSync(new URL('../../docs/PROCESSES.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderProcessesDoc(PROCESS_DEFINITIONS));
  });

  it('records every decision note and every status of every process', () => {
    const doc = renderProcessesDoc(PROCESS_DEFINITIONS);
    for (const def of PROCESS_DEFINITIONS) {
      for (const note of def.notes) expect(doc).toContain(note.replaceAll('|', '\\|'));
      for (const s of def.statuses) expect(doc).toContain(`| ${s.status} |`);
    }
  });
});
