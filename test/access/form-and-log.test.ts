// Form signatures by the bevoegd gezag (R24) and the NEN 7513-style access log (R25).
import { describe, expect, it, beforeAll } from 'vitest';
import fc from 'fast-check';
import { asId, type FormulierId, type RoomId } from '../../core/model/ids.js';
import { decodeFormSignature, encodeFormSignature, signForm, verifyFormSignature } from '../../core/access/form-signature.js';
import { createAccessEvent, listAccessEvents } from '../../core/access/access-log.js';
import { checkAppend } from '../../core/access/check-access.js';
import { encodeEnvelope } from '../../core/crypto/envelope.js';
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
    expect(v.value).toMatchObject({ userId: 'u-bg-a', voornaam: 'Sanne', achternaam: 'de Vries-u-bg-a', functie: 'bevoegd-gezag', organisatie: 'OBS De Regenboog', unchanged: true });
    expect(v.value.signedAt.toISOString()).toBe(at(2).toISOString());
  });

  it('[R24] any later change of the form content shows as changed, while the signature itself stays valid', async () => {
    const h = new DossierHarness(w);
    const sig = await signForm(provider, { dossier: h.dossier, formulier: FORM, content, signer: w.bevoegdGezag.signer, at: T0 });
    if (!sig.ok) throw new Error(sig.error.code);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.integer({ min: -5, max: 10 }), async (tekst, niveau) => {
        const changed: CanonicalValue = { velden: { onderwijsbehoeften: tekst, ondersteuningsniveau: niveau, bijlagen: ['b1', 'b2'] }, versie: 4 };
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
    for (const moved of [{ ...sig.value, formulier: asId<FormulierId>('f-ander') }, { ...sig.value, dossier: asId<typeof sig.value.dossier>('dos-ander') }, { ...sig.value, signedAt: at(-1).getTime() }]) {
      const v = await verifyFormSignature(provider, moved, content, w.roots);
      expect(v.ok ? 'ok' : v.error.code).toBe('handtekening-ongeldig');
    }
    // The bevoegd gezag of another school is not this school's signer.
    const v = await verifyFormSignature(provider, sig.value, content, w.roots, { expectedOrganisation: w.ibB.organisationId });
    expect(v.ok ? 'ok' : v.error.code).toBe('verkeerde-ondertekenaar');
    expect(decodeFormSignature(utf8Encode('geen handtekening')).ok).toBe(false);
  });
});

describe('access log', () => {
  it('[R25] opening a dossier appends a signed, sealed access event that the privacy view lists with who, role, on whose behalf, device and when', async () => {
    const h = new DossierHarness(w);
    await h.genesis();
    await h.record('grant', w.ib, { grants: [{ principal: { kind: 'role', swvId: w.swv.id, role: 'swv-coordinator' }, scope: 'hulpvraag:h1', right: 'write', expiresAt: null }], recipients: [w.coordinator.certificate] });
    const opened = await createAccessEvent(provider, h.state, {
      signer: w.coordinator.signer,
      keyring: await h.keyring(w.coordinator),
      counter: 1,
      event: { action: 'dossier-geopend', at: at(1), scope: 'hulpvraag:h1', role: 'swv-coordinator' },
    });
    const exported = await createAccessEvent(provider, h.state, {
      signer: w.ib.signer,
      keyring: await h.keyring(w.ib),
      counter: 1,
      event: { action: 'geexporteerd', at: at(2), scope: 'leerling', role: 'intern-begeleider', reason: 'Overdracht naar SBO' },
    });
    if (!opened.ok || !exported.ok) throw new Error('create');
    // The relay lets members append it in toegang, and sees no names in the bytes.
    expect(checkAppend(h.state, w.coordinator.verified, opened.value.header.room as RoomId, 'access', at(1)).ok).toBe(true);
    const wire = new TextDecoder('utf-8', { fatal: false }).decode(encodeEnvelope(opened.value));
    expect(wire).not.toContain('Sanne');
    expect(wire).not.toContain('hulpvraag:h1');
    expect(opened.value.publicPart).toBeUndefined();
    const privacyOfficerRing = await h.keyring(w.ib);
    const { entries, rejected } = await listAccessEvents(provider, [exported.value, opened.value], { access: h.state, keyring: privacyOfficerRing, roots: w.roots });
    expect(rejected).toEqual([]);
    expect(entries.map((e) => [e.action, e.userId, e.naam, e.role, e.onBehalfOf, e.scope, e.deviceId, e.at.toISOString(), e.reason])).toEqual([
      ['dossier-geopend', 'u-coord', 'Sanne de Vries-u-coord', 'swv-coordinator', 'swv-bureau', 'hulpvraag:h1', w.coordinator.verified.deviceId, at(1).toISOString(), null],
      ['geexporteerd', 'u-ib-a', 'Sanne de Vries-u-ib-a', 'intern-begeleider', 'brin-12ab', 'leerling', w.ib.verified.deviceId, at(2).toISOString(), 'Overdracht naar SBO'],
    ]);
  });

  it('[R25] a user cannot log in a role it does not hold, and a tampered or foreign event is listed as rejected', async () => {
    const h = new DossierHarness(w);
    await h.genesis();
    const wrongRole = await createAccessEvent(provider, h.state, { signer: w.ib.signer, keyring: await h.keyring(w.ib), counter: 1, event: { action: 'dossier-geopend', at: T0, scope: null, role: 'privacy-officer' } });
    expect(wrongRole.ok ? 'ok' : wrongRole.error.code).toBe('rol-onbekend');
    const good = await createAccessEvent(provider, h.state, { signer: w.ib.signer, keyring: await h.keyring(w.ib), counter: 2, event: { action: 'dossier-geopend', at: T0, scope: null, role: 'intern-begeleider' } });
    if (!good.ok) throw new Error('create');
    const flipped = { ...good.value, ciphertext: good.value.ciphertext.map((b, i) => (i === 3 ? b ^ 1 : b)) };
    const { entries, rejected } = await listAccessEvents(provider, [good.value, flipped, h.log[0] ?? good.value], { access: h.state, keyring: await h.keyring(w.ib), roots: w.roots });
    expect(entries.length).toBe(1);
    expect(rejected.map((r) => r.index)).toEqual([1, 2]);
  });
});
