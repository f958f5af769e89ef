// Edits of an overlegronde message made at the same time on two devices of the
// author converge: every device ends with the same history holding every
// version, whatever order the Yjs updates arrive in (real Yjs documents).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { messageHistories, pushEdit, pushMessage, type StoredEdit } from '../../core/client/dossier-docs.js';

const AUTEUR = 'u-ilse';
const base = {
  id: 'm1',
  auteur: AUTEUR,
  auteurNaam: 'Ilse Bakker',
  titel: 'Vraag',
  tekst: 'eerste versie',
  mentions: ['u-zoe'],
  geplaatstOp: '2026-03-02T09:00:00.000Z',
};

const sync = (from: Y.Doc, to: Y.Doc): void => {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
};

const editArb = fc.record({
  device: fc.constantFrom(0, 1),
  minuut: fc.integer({ min: 1, max: 59 }),
  tekst: fc.string({ maxLength: 20 }),
  syncNa: fc.boolean(),
});

describe('concurrent edits of one message on two devices of the author', () => {
  it('every device ends with the same history holding every version, ordered by time [000]', () => {
    fc.assert(
      fc.property(fc.array(editArb, { maxLength: 12 }), (edits) => {
        const docs = [new Y.Doc(), new Y.Doc()] as const;
        pushMessage(docs[0], base);
        sync(docs[0], docs[1]);
        const written: StoredEdit[] = [];
        edits.forEach((e, i) => {
          const edit: StoredEdit = {
            id: `e${i}`,
            messageId: 'm1',
            auteur: AUTEUR,
            titel: 'Vraag',
            tekst: e.tekst,
            mentions: [],
            bewerktOp: `2026-03-02T10:${String(e.minuut).padStart(2, '0')}:00.000Z`,
          };
          written.push(edit);
          pushEdit(docs[e.device], edit);
          if (e.syncNa) sync(docs[e.device], docs[1 - e.device] as Y.Doc);
        });
        sync(docs[0], docs[1]);
        sync(docs[1], docs[0]);
        const [a, b] = [messageHistories(docs[0]), messageHistories(docs[1])];
        expect(a).toEqual(b);
        expect(a).toHaveLength(1);
        const versions = a[0]?.versions ?? [];
        expect(versions).toHaveLength(edits.length + 1);
        expect(versions[0]?.tekst).toBe('eerste versie');
        const times = versions.slice(1).map((v) => v.geschrevenOp);
        expect(times).toEqual([...times].sort());
        expect(
          versions
            .slice(1)
            .map((v) => v.tekst)
            .sort(),
        ).toEqual(written.map((w) => w.tekst).sort());
      }),
      { numRuns: 150 },
    );
  });

  it('an edit written by someone else than the author, or a malformed entry, is not part of the history', () => {
    const doc = new Y.Doc();
    pushMessage(doc, base);
    pushEdit(doc, {
      id: 'x1',
      messageId: 'm1',
      auteur: 'u-zoe',
      titel: 'Overgenomen',
      tekst: 'door een ander',
      mentions: [],
      bewerktOp: '2026-03-02T10:00:00.000Z',
    });
    doc.getArray<unknown>('bewerkingen').push([{ id: 'x2', messageId: 'm1', tekst: 42 }, 'rommel', null]);
    doc.getArray<unknown>('berichten').push([{ id: 'm2', tekst: ['geen tekst'] }]);
    const h = messageHistories(doc);
    expect(h.map((x) => x.message.id)).toEqual(['m1']);
    expect(h[0]?.versions.map((v) => v.tekst)).toEqual(['eerste versie']);
  });
});
