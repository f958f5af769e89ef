// How messageHistories folds entries once the client knows which signatures
// hold: a verified entry wins over an unverified twin wherever the twin stands,
// and a verified message takes only verified edits by its author [R29].
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  messageHistories,
  pushEdit,
  pushMessage,
  type MessageTrust,
  type StoredEdit,
  type StoredMessage,
} from '../../core/client/dossier-docs.js';

const echt: StoredMessage = {
  id: 'm1',
  auteur: 'u-zoe',
  auteurNaam: 'Zoë Jansen',
  titel: 'Planning',
  tekst: 'echt',
  mentions: [],
  geplaatstOp: '2026-03-02T09:00:00.000Z',
};
const edit = (id: string, tekst: string, auteur = 'u-zoe'): StoredEdit => ({
  id,
  messageId: 'm1',
  auteur,
  titel: 'Planning',
  tekst,
  mentions: [],
  bewerktOp: `2026-03-02T10:00:0${id.length % 10}.000Z`,
});

// In these tests "verified" is marked by the text; the client decides it from signatures.
const trust: MessageTrust = { message: (m) => m.tekst === 'echt', edit: (e) => e.tekst.startsWith('echt'), afhandeling: () => false };

describe('messageHistories with verified entries', () => {
  it('a verified message wins over forged twins before or after it, and keeps only its verified edits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('twin', 'forged-edit', 'real-edit', 'foreign-edit'), { maxLength: 10 }),
        fc.nat(10),
        (extra, realAt) => {
          const doc = new Y.Doc();
          const items: { kind: (typeof extra)[number] | 'real'; i: number }[] = extra.map((kind, i) => ({ kind, i }));
          items.splice(Math.min(realAt, items.length), 0, { kind: 'real', i: -1 });
          const realEdits: string[] = [];
          for (const { kind, i } of items) {
            if (kind === 'real') pushMessage(doc, echt);
            if (kind === 'twin') pushMessage(doc, { ...echt, tekst: `vals ${i}` });
            if (kind === 'forged-edit') pushEdit(doc, edit(`f${i}`, `vals ${i}`));
            if (kind === 'foreign-edit') pushEdit(doc, edit(`x${i}`, `echt maar van een ander ${i}`, 'u-jan'));
            if (kind === 'real-edit') {
              pushEdit(doc, edit(`r${i}`, `echt ${i}`));
              realEdits.push(`echt ${i}`);
            }
          }
          const h = messageHistories(doc, trust);
          expect(h).toHaveLength(1);
          expect(h[0]?.geverifieerd).toBe(true);
          expect(h[0]?.versions[0]?.tekst).toBe('echt');
          expect(
            h[0]?.versions
              .slice(1)
              .map((v) => v.tekst)
              .sort(),
          ).toEqual(realEdits.sort());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('without any verified entry the first message shows, unverified, with the edits by its claimed author', () => {
    const doc = new Y.Doc();
    pushMessage(doc, { ...echt, tekst: 'oud' });
    pushMessage(doc, { ...echt, tekst: 'oud twee' });
    pushEdit(doc, edit('e1', 'oude bewerking'));
    pushEdit(doc, edit('e22', 'van een ander', 'u-jan'));
    const h = messageHistories(doc, trust);
    expect(h.map((x) => [x.geverifieerd, x.versions.map((v) => v.tekst)])).toEqual([[false, ['oud', 'oude bewerking']]]);
  });
});
