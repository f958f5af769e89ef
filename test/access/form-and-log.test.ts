// Form signatures by the bevoegd gezag (R24). The access log (R25) is tested where production
// writes and reads it: test/client/privacy-officer.test.ts and test/client/served-log.test.ts.
import { describe, expect, it, beforeAll } from 'vitest';
import fc from 'fast-check';
import { asId, type FormulierId } from '../../core/model/ids.js';
import { decodeFormSignature, encodeFormSignature, signForm, verifyFormSignature } from '../../core/access/form-signature.js';
import { utf8Encode } from '../../core/crypto/bytes.js';
import type { CanonicalValue } from '../../core/crypto/canonical.js';
import { DossierHarness, T0, at, makeWorld, provider, type World } from './fixtures.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

const FORM = asId<FormulierId>('f-tlv-1');
const content: CanonicalValue = {
  velden: { onderwijsbehoeften: 'Kleine groep, voorspelbare structuur', ondersteuningsniveau: 3, bijlagen: ['b1', 'b2'] },
  versie: 4,
};

describe('form signatures', () => {
  it('[R24] the bevoegd gezag signs; verification shows who, when, and that the form is unchanged', async () => {
    const h = new DossierHarness(w);
    const sig = await signForm(provider, { dossier: h.dossier, formulier: FORM, content, signer: w.bevoegdGezag.signer, at: at(2) });
    if (!sig.ok) throw new Error(sig.error.code);
    const v = await verifyFormSignature(provider, sig.value, content, w.roots, { expectedOrganisation: w.bevoegdGezag.organisationId });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value).toMatchObject({
      userId: 'u-bg-a',
      voornaam: 'Sanne',
      achternaam: 'de Vries-u-bg-a',
      functie: 'bevoegd-gezag',
      organisatie: 'OBS De Regenboog',
      unchanged: true,
    });
    expect(v.value.signedAt.toISOString()).toBe(at(2).toISOString());
  });

  it('[R24] any later change of the form content shows as changed, while the signature itself stays valid', async () => {
    const h = new DossierHarness(w);
    const sig = await signForm(provider, { dossier: h.dossier, formulier: FORM, content, signer: w.bevoegdGezag.signer, at: T0 });
    if (!sig.ok) throw new Error(sig.error.code);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.integer({ min: -5, max: 10 }), async (tekst, niveau) => {
        const changed: CanonicalValue = {
          velden: { onderwijsbehoeften: tekst, ondersteuningsniveau: niveau, bijlagen: ['b1', 'b2'] },
          versie: 4,
        };
        const v = await verifyFormSignature(provider, sig.value, changed, w.roots);
        const same = tekst === 'Kleine groep, voorspelbare structuur' && niveau === 3;
        return v.ok && v.value.unchanged === same;
      }),
      { numRuns: 40 },
    );
  });

  it('[R24] an IB cannot sign as bevoegd gezag, a forged or transplanted signature fails, and the encoding round-trips', async () => {
    const h = new DossierHarness(w);
    const byIb = await signForm(provider, { dossier: h.dossier, formulier: FORM, content, signer: w.ib.signer, at: T0 });
    expect(byIb.ok ? 'ok' : byIb.error.code).toBe('geen-bevoegd-gezag');
    const sig = await signForm(provider, { dossier: h.dossier, formulier: FORM, content, signer: w.bevoegdGezag.signer, at: T0 });
    if (!sig.ok) throw new Error(sig.error.code);
    const back = decodeFormSignature(encodeFormSignature(sig.value));
    if (!back.ok) throw new Error(back.error.code);
    expect((await verifyFormSignature(provider, back.value, content, w.roots)).ok).toBe(true);
    // Moved to another form or dossier, or backdated: the signature no longer matches.
    for (const moved of [
      { ...sig.value, formulier: asId<FormulierId>('f-ander') },
      { ...sig.value, dossier: asId<typeof sig.value.dossier>('dos-ander') },
      { ...sig.value, signedAt: at(-1).getTime() },
    ]) {
      const v = await verifyFormSignature(provider, moved, content, w.roots);
      expect(v.ok ? 'ok' : v.error.code).toBe('handtekening-ongeldig');
    }
    // The bevoegd gezag of another school is not this school's signer.
    const v = await verifyFormSignature(provider, sig.value, content, w.roots, { expectedOrganisation: w.ibB.organisationId });
    expect(v.ok ? 'ok' : v.error.code).toBe('verkeerde-ondertekenaar');
    expect(decodeFormSignature(utf8Encode('geen handtekening')).ok).toBe(false);
  });
});
