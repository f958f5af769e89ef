// The bevoegd gezag signs a form through the client facade (002: "Het bevoegd
// gezag moet vervolgens de aanvraag digitaal ondertekenen"), against a real relay
// on 127.0.0.1; and the checks every reader makes on the stored signature [R24].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { asId, type DossierId, type FormulierId, type HulpvraagId } from '../../core/model/ids.js';
import { formForHulpvraagTitel } from '../../core/forms/definitions/form-set.js';
import { formSignatureIn, signFormIn } from '../../core/client/form-signing.js';
import { writeValues } from '../../core/client/dossier-docs.js';
import { ok } from '../../core/result.js';
import { eventually, type Member } from '../sync/harness.js';
import { fileHulpvraag, startWorld, type World as RelayWorld } from './dossier-world.js';
import { makeWorld, provider, T0, type World } from '../access/fixtures.js';
import { completeAnswers } from '../../scripts/form-answers.js';

const TLV = formForHulpvraagTitel('TLV VSO');
if (!TLV) throw new Error('TLV VSO heeft geen formulier');
const FORM = asId<FormulierId>(TLV.id);

describe('the bevoegd gezag signs a form through the client [R24]', () => {
  let world: RelayWorld;
  let ib: Member, bestuur: Member, anderBestuur: Member;
  let dossier: DossierId;
  let hv: HulpvraagId;

  beforeAll(async () => {
    world = await startWorld([
      {
        naam: 'Ilse Bakker',
        functie: 'intern begeleider',
        organisation: { naam: 'OBS De Linde', kind: 'school' },
        roles: ['intern-begeleider'],
      },
      { naam: 'Bert Bestuur', functie: 'bestuurder', organisation: { naam: 'OBS De Linde', kind: 'school' }, roles: ['bevoegd-gezag'] },
      { naam: 'Anna Anders', functie: 'bestuurder', organisation: { naam: 'SBO De Wissel', kind: 'school' }, roles: ['bevoegd-gezag'] },
    ]);
    [ib, bestuur, anderBestuur] = world.members as [Member, Member, Member];
    ({ dossier, hv } = await fileHulpvraag(ib));
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  it('only a complete form, only by the bevoegd gezag of the own school; every reader sees who signed and that a later change voids it', async () => {
    const half = { 'gewenste-school': 'VSO De Brug' };
    expect((await ib.tc.client.setFormValues(dossier, hv, FORM, half)).ok).toBe(true);
    // The bevoegd gezag of the school gets the hulpvraag and its form to sign.
    await eventually(async () => {
      await bestuur.tc.client.tick();
      const f = bestuur.tc.client.getForm(dossier, hv);
      return f.ok && f.value['gewenste-school'] === 'VSO De Brug';
    }, 'formulier bij het bevoegd gezag');
    const onvolledig = await bestuur.tc.client.signForm(dossier, hv, FORM);
    expect(onvolledig.ok ? 'ok' : onvolledig.error.code).toBe('formulier-onvolledig');
    const doorIb = await ib.tc.client.signForm(dossier, hv, FORM);
    expect(doorIb.ok ? 'ok' : doorIb.error.code).toBe('geen-bevoegd-gezag');

    const antwoorden = completeAnswers(TLV);
    expect((await ib.tc.client.setFormValues(dossier, hv, FORM, antwoorden)).ok).toBe(true);
    await eventually(async () => {
      await bestuur.tc.client.tick();
      const f = bestuur.tc.client.getForm(dossier, hv);
      return f.ok && Object.keys(antwoorden).every((k) => JSON.stringify(f.value[k]) === JSON.stringify(antwoorden[k]));
    }, 'volledig formulier bij het bevoegd gezag');
    const getekend = await bestuur.tc.client.signForm(dossier, hv, FORM);
    if (!getekend.ok) throw new Error(getekend.error.message);
    expect(getekend.value).toMatchObject({
      door: bestuur.userId,
      naam: 'Bert Bestuur',
      functie: 'bestuurder',
      organisatie: 'OBS De Linde',
      geldig: true,
    });

    // The IB (who filed it) sees the verified signature once it arrives.
    await eventually(async () => {
      await ib.tc.client.tick();
      const s = await ib.tc.client.formSignature(dossier, hv, FORM);
      return s.ok && s.value !== null && s.value.geldig && s.value.naam === 'Bert Bestuur';
    }, 'handtekening bij de IB');

    // Another school's bevoegd gezag holds nothing of this dossier.
    const ander = await anderBestuur.tc.client.signForm(dossier, hv, FORM);
    expect(ander.ok).toBe(false);

    // Changing an answer after signing: the signature no longer covers the form.
    expect((await ib.tc.client.setFormValues(dossier, hv, FORM, { 'gewenste-school': 'VSO Het Anker' })).ok).toBe(true);
    const na = await ib.tc.client.formSignature(dossier, hv, FORM);
    expect(na.ok && na.value?.geldig).toBe(false);
    await eventually(async () => {
      await bestuur.tc.client.tick();
      const s = await bestuur.tc.client.formSignature(dossier, hv, FORM);
      return s.ok && s.value !== null && !s.value.geldig;
    }, 'vervallen handtekening bij het bevoegd gezag');
    // Signing again makes it valid for the new answers.
    const opnieuw = await bestuur.tc.client.signForm(dossier, hv, FORM);
    expect(opnieuw.ok && opnieuw.value.geldig).toBe(true);
  }, 120_000);
});

describe('a stored form signature is checked on every read [R24]', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  const ref = { dossierId: asId<DossierId>('dos-1'), hulpvraagId: asId<HulpvraagId>('hv-1'), formulierId: FORM };
  const signed = async (): Promise<Y.Doc> => {
    const doc = new Y.Doc();
    writeValues(doc, completeAnswers(TLV));
    const r = await signFormIn(provider, doc, ref, w.bevoegdGezag.signer, T0, async (fn) => {
      fn(doc);
      return ok(undefined);
    });
    if (!r.ok) throw new Error(r.error.message);
    return doc;
  };

  it('a signature copied to another hulpvraag or dossier does not count there', async () => {
    const doc = await signed();
    const here = await formSignatureIn(provider, doc, ref, w.roots, w.bevoegdGezag.organisationId);
    expect(here.ok && here.value?.geldig).toBe(true);
    const elders = await formSignatureIn(
      provider,
      doc,
      { ...ref, hulpvraagId: asId<HulpvraagId>('hv-2') },
      w.roots,
      w.bevoegdGezag.organisationId,
    );
    expect(elders.ok && elders.value?.geldig).toBe(false);
    const anderDossier = await formSignatureIn(
      provider,
      doc,
      { ...ref, dossierId: asId<DossierId>('dos-2') },
      w.roots,
      w.bevoegdGezag.organisationId,
    );
    expect(anderDossier.ok ? 'ok' : anderDossier.error.code).toBe('handtekening-ongeldig');
  });

  it("another school's bevoegd gezag is not this hulpvraag's signer, and damaged bytes are refused, never shown as signed", async () => {
    const doc = await signed();
    const andereSchool = await formSignatureIn(provider, doc, ref, w.roots, w.ibB.organisationId);
    expect(andereSchool.ok ? 'ok' : andereSchool.error.code).toBe('verkeerde-ondertekenaar');
    const bytes = doc.getMap<Uint8Array>('ondertekeningen').get(FORM);
    if (!bytes) throw new Error('geen handtekening opgeslagen');
    for (const i of [0, 40, bytes.length - 10]) {
      const kapot = bytes.slice();
      kapot[i] = (kapot[i] ?? 0) ^ 0xff;
      doc.getMap<Uint8Array>('ondertekeningen').set(FORM, kapot);
      const r = await formSignatureIn(provider, doc, ref, w.roots, w.bevoegdGezag.organisationId);
      expect(r.ok).toBe(false);
    }
  });
});
