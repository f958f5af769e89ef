// Signing as a request (issue 21): the IB asks the bevoegd gezag of her school to sign the
// hulpvraag's form; the bevoegd gezag finds the open request in her own client (the melding
// behind the badge), signs, and the request closes; an edit after signing voids the signature
// and the IB asks again. Through the client facade against a real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readSignatureRequest } from '../../core/client/dossier-docs.js';
import { eventually, type Member } from '../sync/harness.js';
import { fileHulpvraag, startWorld, TWO_IBS, type World } from './dossier-world.js';
import { BESTUUR, bestuurVan, completeAnswers, formOf } from './indienen-world.js';

let world: World;
let ib: Member, bestuur: Member, anderBestuur: Member;
const { def, id: FORM } = formOf('TLV VSO');

beforeAll(async () => {
  world = await startWorld([TWO_IBS[0]!, BESTUUR, bestuurVan('SBO De Wissel')]);
  [ib, bestuur, anderBestuur] = world.members as [Member, Member, Member];
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('the IB asks the bevoegd gezag to sign', () => {
  it('refuses a request for an incomplete form, saying what is missing', async () => {
    const { dossier, hv } = await fileHulpvraag(ib);
    const r = await ib.tc.client.requestFormSignature(dossier, hv, FORM);
    expect(!r.ok && r.error.code).toBe('formulier-onvolledig');
    expect(!r.ok && r.error.message).toMatch(/^U kunt nog niet om ondertekening vragen\./);
  }, 60_000);

  it('the request reaches the bevoegd gezag of this school only; signing closes it; an edit voids the signature and a new request opens again', async () => {
    const { dossier, hv } = await fileHulpvraag(ib);
    const w = await ib.tc.client.setFormValues(dossier, hv, FORM, completeAnswers(def));
    if (!w.ok) throw new Error(w.error.message);
    const r = await ib.tc.client.requestFormSignature(dossier, hv, FORM);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.aanNamen).toEqual(['Bert Bestuur']);
    expect(r.value.open).toBe(true);

    // The bevoegd gezag's own client lists it, after nothing but its normal ticks (the notification brings the dossier).
    await eventually(async () => {
      await bestuur.tc.client.tick();
      const open = await bestuur.tc.client.openSignatureRequests();
      return open.some((o) => o.hulpvraagId === hv && o.doorNaam.length > 0 && o.doorNaam !== 'onbekende gebruiker');
    }, 'verzoek bij het bevoegd gezag');
    // The board of another school is not asked.
    await anderBestuur.tc.client.tick();
    expect((await anderBestuur.tc.client.openSignatureRequests()).filter((o) => o.hulpvraagId === hv)).toEqual([]);

    await eventually(async () => {
      await bestuur.tc.client.tick();
      const f = bestuur.tc.client.getForm(dossier, hv);
      return f.ok && Object.keys(f.value).length >= Object.keys(completeAnswers(def)).length;
    }, 'formulier bij het bevoegd gezag');
    const s = await bestuur.tc.client.signForm(dossier, hv, FORM);
    if (!s.ok) throw new Error(s.error.message);
    expect((await bestuur.tc.client.openSignatureRequests()).filter((o) => o.hulpvraagId === hv)).toEqual([]);
    await eventually(async () => {
      await ib.tc.client.tick();
      const v = await ib.tc.client.signatureRequest(dossier, hv, FORM);
      return v.ok && v.value !== null && !v.value.open;
    }, 'verzoek gesloten bij de IB');

    // An edit after signing voids the signature; the old request stays answered until the IB asks again.
    const edit = await ib.tc.client.setFormValues(dossier, hv, FORM, { 'gewenste-school': 'VSO Het Anker' });
    if (!edit.ok) throw new Error(edit.error.message);
    const sig = await ib.tc.client.formSignature(dossier, hv, FORM);
    expect(sig.ok && sig.value?.geldig).toBe(false);
    const opnieuw = await ib.tc.client.requestFormSignature(dossier, hv, FORM);
    expect(opnieuw.ok && opnieuw.value.open).toBe(true);
    await eventually(async () => {
      await bestuur.tc.client.tick();
      return (await bestuur.tc.client.openSignatureRequests()).some((o) => o.hulpvraagId === hv);
    }, 'nieuw verzoek bij het bevoegd gezag');
  }, 120_000);

  it('the bevoegd gezag cannot ask itself: a Dutch explanation says who can be asked', async () => {
    const { dossier, hv } = await fileHulpvraag(ib);
    await ib.tc.client.setFormValues(dossier, hv, FORM, completeAnswers(def));
    await eventually(async () => {
      await bestuur.tc.client.tick();
      const f = bestuur.tc.client.getForm(dossier, hv);
      return f.ok && Object.keys(f.value).length > 0;
    }, 'formulier bij het bevoegd gezag');
    const r = await bestuur.tc.client.requestFormSignature(dossier, hv, FORM);
    expect(!r.ok && r.error.code).toBe('geen-bevoegd-gezag');
    expect(!r.ok && r.error.message).toContain('Vraag de beheerder');
  }, 90_000);

  it("a malformed request in the doc (another writer's bug or attack) counts as no request", () => {
    const doc = new Y.Doc();
    doc.getMap('ondertekenverzoeken').set(FORM, { door: 'x', aan: 'iedereen', op: 1 });
    expect(readSignatureRequest(doc, FORM)).toBeNull();
    doc.getMap('ondertekenverzoeken').set(FORM, { door: 'x', aan: ['y'], op: '2026-01-01T00:00:00.000Z' });
    expect(readSignatureRequest(doc, FORM)).toEqual({ door: 'x', aan: ['y'], op: '2026-01-01T00:00:00.000Z' });
  });
});
