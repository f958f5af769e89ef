// Bundled into an extension page by hulpvragen-lijst.test.ts: mounts the real
// hulpvragen list with 10,000 generated rows and a drafts store kept in
// sessionStorage (standing in for the sealed drafts), to test the list itself.
import { render } from 'preact';
import { HulpvragenLijst } from '../../extension/ui/screens/hulpvragen-lijst.js';
import { BackendContext } from '../../extension/ui/context.js';
import type { HulpvraagRij, KindkluisPort } from '../../core/client/port.js';

const STATUSSEN = [
  'TLV voorlopige aanvraag',
  'TLV aanvraag indienen',
  'TLV vragen gesteld',
  'TLV afgegeven',
  'FA aanvraag indienen',
  'PrO afgegeven',
];
const TITELS = ['TLV VSO', 'Financieel Arrangement', 'Praktijkonderwijs', 'BAG'];

export function rijen(n: number): HulpvraagRij[] {
  return Array.from({ length: n }, (_, i) => ({
    hulpvraagId: `hv-${i}`,
    dossierId: `d-${i}`,
    leerling: `Leerling ${String(i).padStart(5, '0')}`,
    titel: TITELS[i % TITELS.length] ?? '',
    type: TITELS[i % TITELS.length] ?? '',
    status: STATUSSEN[i % STATUSSEN.length] ?? '',
    eindstatus: i % STATUSSEN.length === 3,
    datum: new Date(Date.UTC(2024, 0, 1) + i * 3600_000).toISOString(),
    laatsteDatum: new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % n) * 3600_000).toISOString(),
    school: `School ${i % 37}`,
    aanvrager: `IB ${i % 11}`,
    coordinator: i % 5 === 0 ? '' : `Coördinator ${i % 7}`,
    labels: i % 3 === 0 ? ['spoed'] : [],
    ongelezen: i % 13 === 0,
  }));
}

export function mount(n: number): number {
  const t0 = performance.now();
  const backend = {
    saveDraft: async (k: string, v: string) => sessionStorage.setItem(k, v),
    loadDraft: async (k: string) => sessionStorage.getItem(k),
  } as unknown as KindkluisPort;
  const el = document.createElement('div');
  document.body.replaceChildren(el);
  render(
    <BackendContext.Provider value={backend}>
      <HulpvragenLijst rijen={rijen(n)} onOpen={(r) => (document.title = `open ${r.hulpvraagId}`)} />
    </BackendContext.Provider>,
    el,
  );
  return performance.now() - t0;
}
