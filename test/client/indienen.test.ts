// Indienen needs the bevoegd gezag's valid signature and the bijlagen the seed names
// (002 stap 5–7: "Het bevoegd gezag moet vervolgens de aanvraag digitaal ondertekenen";
// "in ieder geval het door ouders ondertekende aanvraagformulier en het OPP"), through the
// client facade against a real relay on 127.0.0.1 (issue 17, items 4 and 12) [R48].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from '../sync/harness.js';
import { fileHulpvraag, startWorld, TWO_IBS, type World } from './dossier-world.js';
import { addRequiredBijlagen, BESTUUR, fillAndSign, formOf } from './indienen-world.js';

let world: World;
let ib: Member, bestuur: Member;

beforeAll(async () => {
  world = await startWorld([TWO_IBS[0]!, BESTUUR]);
  [ib, bestuur] = world.members as [Member, Member];
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const indienen = (
  dossier: Parameters<Member['tc']['client']['changeStatus']>[0],
  hv: Parameters<Member['tc']['client']['changeStatus']>[1],
) => ib.tc.client.changeStatus(dossier, hv, 'TLV aanvraag indienen');

describe('TLV VSO: indienen only with a valid signature and the required bijlagen [R48]', () => {
  it('refuses without a signature, naming what is missing; nothing is recorded', async () => {
    const { dossier, hv } = await fileHulpvraag(ib);
    const r = await indienen(dossier, hv);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('vereisten-ontbreken');
      expect(r.error.message).toContain('nog niet digitaal ondertekend door het bevoegd gezag');
      expect(r.error.message).toContain('Ontwikkelingsperspectiefplan (OPP)');
      expect(r.error.message).toContain('Door ouders ondertekend aanvraagformulier');
    }
    const v = ib.tc.client.getHulpvraag(dossier, hv);
    expect(v.ok && v.value.status).toBe('TLV voorlopige aanvraag');
  }, 60_000);

  it('refuses with a voided signature (the form changed after signing)', async () => {
    const { dossier, hv } = await fileHulpvraag(ib);
    await fillAndSign(ib, bestuur, dossier, hv);
    await addRequiredBijlagen(ib, dossier, hv);
    const w = await ib.tc.client.setFormValues(dossier, hv, formOf('TLV VSO').id, { 'gewenste-school': 'VSO Het Anker' });
    if (!w.ok) throw new Error(w.error.message);
    const r = await indienen(dossier, hv);
    expect(!r.ok && r.error.code).toBe('vereisten-ontbreken');
    expect(!r.ok && r.error.message).toContain('vervallen omdat het formulier na ondertekening is gewijzigd');
    expect(!r.ok && r.error.message).not.toContain('OPP');
  }, 90_000);

  it('refuses without the OPP although the form is signed', async () => {
    const { dossier, hv } = await fileHulpvraag(ib);
    await fillAndSign(ib, bestuur, dossier, hv);
    await addRequiredBijlagen(ib, dossier, hv, ['aanvraagformulier-ouders']);
    // A bijlage of another kind does not count as the OPP.
    const anders = await ib.tc.client.addBijlage(dossier, hv, {
      bestandsnaam: 'verslag.pdf',
      mediaType: 'application/pdf',
      bytes: new Uint8Array([1, 2, 3]),
      soort: 'overig',
    });
    if (!anders.ok) throw new Error(anders.error.message);
    const r = await indienen(dossier, hv);
    expect(!r.ok && r.error.code).toBe('vereisten-ontbreken');
    expect(!r.ok && r.error.message).toBe(
      'De status "TLV aanvraag indienen" kan nog niet worden gekozen: de bijlage "Ontwikkelingsperspectiefplan (OPP)" ontbreekt.',
    );
  }, 90_000);

  it('goes through with a valid signature and both bijlagen', async () => {
    const { dossier, hv } = await fileHulpvraag(ib);
    await fillAndSign(ib, bestuur, dossier, hv);
    await addRequiredBijlagen(ib, dossier, hv);
    const r = await indienen(dossier, hv);
    if (!r.ok) throw new Error(r.error.message);
    const v = ib.tc.client.getHulpvraag(dossier, hv);
    expect(v.ok && v.value.status).toBe('TLV aanvraag indienen');
    expect(v.ok && v.value.bijlagen.map((b) => b.soort).sort()).toEqual(['aanvraagformulier-ouders', 'opp']);
  }, 90_000);
});
