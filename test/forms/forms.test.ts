import { describe, expect, it } from 'vitest';
import { FORM_DEFINITIONS, formForHulpvraagTitel } from '../../core/forms/definitions/form-set.js';
import { aanvraagBag } from '../../core/forms/definitions/bag-sv.js';
import { aanvraagPraktijkonderwijs } from '../../core/forms/definitions/praktijkonderwijs.js';
import { aanvraagTlvVso } from '../../core/forms/definitions/tlv-vso.js';
import { checkForm, saveFormValues, type FormValues } from '../../core/forms/validate.js';
import { checkReadyToSign, signingPayload } from '../../core/forms/signature-slot.js';
import { exportFormToDocx } from '../../core/forms/export-docx.js';
import { defineForm, allFields } from '../../core/forms/form-definition.js';
import { prefillForm, isLeerlingVeld, leerlingWaarden } from '../../core/forms/prefill.js';
import { checkFormPrivacy, fieldNeedsPrivacyCheck } from '../../core/forms/privacy.js';
import { createPiiDetector } from '../../core/privacy/detector.js';
import { privacyLeerlingFrom } from '../../core/privacy/from-leerling.js';
import { scopeNeedsPrivacyCheck } from '../../core/privacy/scope.js';
import { encodeCanonical } from '../../core/crypto/canonical.js';
import type { Formulier } from '../../core/model/formulier.js';
import type { FormulierId, HulpvraagId, LeerlingId, UserId } from '../../core/model/ids.js';
import type { Leerling } from '../../core/model/leerling.js';
import { unzip } from './unzip.js';

const leerling: Leerling = {
  id: 'll-1' as LeerlingId,
  voornaam: 'Daan',
  tussenvoegsel: 'de',
  achternaam: 'Vries',
  geboortedatum: '2012-03-12',
  adressen: [
    { straat: 'Oudestraat', huisnummer: '1', postcode: '1000 AA', plaats: 'Oudorp' },
    { straat: 'Kerkstraat', huisnummer: '12', postcode: '1234 AB', plaats: 'Dorp' },
  ],
  ouders: [{ voornaam: 'Ayşe', achternaam: 'Öztürk', relatie: 'moeder', telefoon: '06-12345678', heeftGezag: true }],
  gezagssituatie: 'een-ouder',
};
const sources = {
  leerling,
  school: { naam: 'OBS De Regenboog', brin: '12AB' },
  schoolgegevens: { leerjaar: 8, doublures: 1, contactpersoon: 'M. Jansen', email: 'ib@regenboog.example' },
};

function completeTlv(): FormValues {
  const v: Record<string, string | number | boolean> = {
    ...(prefillForm(aanvraagTlvVso, sources) as Record<string, string | number | boolean>),
  };
  Object.assign(v, {
    'gewenste-school': 'VSO De Brug',
    categorie: 'midden',
    ingangsdatum: '2025-08-25',
    duur: '2 schooljaren',
    onderwijsbehoeften: 'Een kleine groep met vaste structuur.',
    'geboden-ondersteuning': 'Twee jaar arrangement.\nGeen voldoende effect.',
    'grenzen-school': 'Groepsgrootte en gebrek aan rust.',
    'opp-aanwezig': true,
    'ouders-geinformeerd': true,
  });
  return v;
}

describe('form definitions are data', () => {
  it('defines the forms the seeds mention, each valid and found by hulpvraag titel', () => {
    const names = FORM_DEFINITIONS.map((d) => d.naam);
    for (const n of [
      'Aanvraag TLV VSO',
      'Aanvraag Financieel Arrangement',
      'Aanvraagformulier TLV PrO',
      'Aanvraag onderwijsadvies Jonge Kind',
      'Team Schoolondersteuning (groeidocument)',
      'Aanvraagformulier BAG',
      'Aanvraag Schakelvoorziening',
    ])
      expect(names).toContain(n);
    for (const d of FORM_DEFINITIONS) expect(defineForm(JSON.parse(JSON.stringify(d)))).toEqual(d);
    expect(formForHulpvraagTitel('TLV VSO')?.id).toBe('aanvraag-tlv-vso');
    expect(formForHulpvraagTitel('praktijkonderwijs')?.id).toBe('aanvraag-tlv-pro');
    expect(formForHulpvraagTitel('Iets anders')).toBeUndefined();
  });

  it('marks fields as required (geel), help (?) and only-if-applicable (^)', () => {
    const fields = allFields(aanvraagTlvVso);
    expect(fields.find((f) => f.key === 'onderwijsbehoeften')).toMatchObject({ required: true, onlyIfApplicable: false });
    expect(fields.find((f) => f.key === 'onderwijsbehoeften')?.help).toMatch(/Geen namen/);
    expect(fields.find((f) => f.key === 'externe-hulp')).toMatchObject({ required: false, onlyIfApplicable: true });
  });

  it('refuses a malformed definition at load (defineForm), in Dutch', () => {
    const bad = () =>
      defineForm({
        id: 'x',
        naam: 'X',
        versie: 1,
        secties: [
          {
            titel: 'A',
            velden: [
              { key: 'a', label: 'A', type: 'keuze', required: true, onlyIfApplicable: true },
              { key: 'a', label: 'B', type: 'tekst' },
            ],
          },
        ],
        ondertekening: null,
      } as unknown as Parameters<typeof defineForm>[0]);
    expect(bad).toThrow(/tegelijk verplicht[\s\S]*keuzevelden[\s\S]*twee keer/);
  });
});

describe('validation and saving', () => {
  it('lists every missing required field, but still lets an incomplete form be saved', () => {
    const values = prefillForm(aanvraagTlvVso, sources);
    const check = checkForm(aanvraagTlvVso, values);
    expect(check.complete).toBe(false);
    expect(check.missing.map((m) => m.key)).toEqual([
      'gewenste-school',
      'categorie',
      'ingangsdatum',
      'duur',
      'onderwijsbehoeften',
      'geboden-ondersteuning',
      'grenzen-school',
      'opp-aanwezig',
      'ouders-geinformeerd',
    ]);
    expect(check.message).toMatch(/^Nog 9 verplichte velden in te vullen: Gewenste school voor VSO, Gevraagde categorie/);
    const saved = saveFormValues(aanvraagTlvVso, { ...values, 'gewenste-school': '  ' });
    expect(saved.ok).toBe(true);
    expect(saved.ok && 'gewenste-school' in saved.value.values).toBe(false);
  });

  it('refuses values of the wrong type and fields that are not on the form', () => {
    const r = saveFormValues(aanvraagTlvVso, {
      ...completeTlv(),
      ingangsdatum: '31-02-2025',
      categorie: 'extra hoog',
      leerjaar: 12,
      onbekend: 'x',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(/Gewenste ingangsdatum" is geen geldige datum/);
    expect(r.error.message).toMatch(/kies een van de mogelijkheden \(laag, midden, hoog\)/);
    expect(r.error.message).toMatch(/hoogstens 8/);
    expect(r.error.message).toMatch(/"onbekend" hoort niet bij/);
  });

  it('makes a field required by another answer: toelichting when the berekend advies is not PrO', () => {
    const base = prefillForm(aanvraagPraktijkonderwijs, {
      ...sources,
      pro: { advies: 'grensvlak', dl: 60, iq: 78, toetsdatum: '2025-01-15' },
    });
    expect(base['berekend-advies']).toBe('Grensvlak PrO/LWOO');
    expect(checkForm(aanvraagPraktijkonderwijs, base).missing.map((m) => m.key)).toContain('toelichting-afwijkend-advies');
    const pro = prefillForm(aanvraagPraktijkonderwijs, { ...sources, pro: { advies: 'pro', dl: 60, iq: 70, toetsdatum: '2025-01-15' } });
    expect(checkForm(aanvraagPraktijkonderwijs, pro).missing.map((m) => m.key)).not.toContain('toelichting-afwijkend-advies');
    // BAG: the question is only required when not just reserving a date.
    expect(
      checkForm(aanvraagBag, { ...prefillForm(aanvraagBag, sources), 'alleen-datum-reserveren': true }).missing.map((m) => m.key),
    ).not.toContain('vraag');
    expect(
      checkForm(aanvraagBag, { ...prefillForm(aanvraagBag, sources), 'alleen-datum-reserveren': false }).missing.map((m) => m.key),
    ).toContain('vraag');
  });

  it('prefills from the leerling tab and school data without overwriting answers', () => {
    const v = prefillForm(aanvraagTlvVso, sources, { 'school-naam': 'Andere naam' });
    expect(v['leerling-naam']).toBe('Daan de Vries');
    expect(v['leerling-adres']).toBe('Kerkstraat 12, 1234 AB Dorp');
    expect(v['gezagssituatie']).toBe('Eén ouder');
    expect(v['ouders']).toBe('Moeder: Ayşe Öztürk, 06-12345678 (met gezag)');
    expect(v['school-naam']).toBe('Andere naam');
    expect(v['leerjaar']).toBe(8);
    expect(checkForm(aanvraagTlvVso, v).invalid).toEqual([]);
  });
});

describe('the bevoegd gezag signature slot', () => {
  const formulier = (waarden: FormValues): Formulier => ({
    id: 'f-1' as FormulierId,
    hulpvraagId: 'hv-1' as HulpvraagId,
    definitie: aanvraagTlvVso.id,
    waarden,
    bijgewerktOp: '2025-03-01T10:00:00.000Z',
    bijgewerktDoor: 'u-ib' as UserId,
    ondertekening: null,
  });

  it('can only be signed once every required field is filled', () => {
    const incomplete = checkReadyToSign(aanvraagTlvVso, prefillForm(aanvraagTlvVso, sources));
    expect(!incomplete.ok && incomplete.error.code).toBe('formulier-onvolledig');
    expect(!incomplete.ok && incomplete.error.message).toMatch(/kan nog niet worden ondertekend.*Gewenste school/);
    expect(checkReadyToSign(aanvraagTlvVso, completeTlv()).ok).toBe(true);
  });

  it('signs a canonical payload of all answers, and a changed answer voids the signature', () => {
    const f = formulier(completeTlv());
    const payload = signingPayload(aanvraagTlvVso, f);
    expect(payload.waarden['leerjaar']).toBe('8');
    expect(Object.keys(payload.waarden)).toEqual(Object.keys(payload.waarden).sort());
    // Same answers in another order give the same bytes to sign.
    const reversed = formulier(Object.fromEntries(Object.entries(completeTlv()).reverse()));
    expect(encodeCanonical(signingPayload(aanvraagTlvVso, reversed))).toEqual(encodeCanonical(payload));
    // A changed answer changes the bytes, so a signature over the old ones no longer verifies (core/client/form-signing.ts;
    // test/client/form-signing.test.ts shows it as 'vervallen' through the client).
    const changed = formulier({ ...completeTlv(), categorie: 'hoog' });
    expect(encodeCanonical(signingPayload(aanvraagTlvVso, changed))).not.toEqual(encodeCanonical(payload));
  });
});

describe('export to Word (.docx)', () => {
  it('produces a real .docx (a ZIP with word/document.xml) holding every label and answer', async () => {
    const values = completeTlv();
    const bytes = await exportFormToDocx({
      definition: aanvraagTlvVso,
      waarden: values,
      ondertekening: { door: 'u-bestuur' as UserId, functie: 'bestuurder', op: '2025-03-02T10:00:00.000Z', handtekening: 'x' },
      ondertekenaarNaam: 'P. Bestuur',
      hulpvraagTitel: 'TLV VSO',
      exportedAt: new Date('2025-03-05T10:00:00Z'),
    });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...bytes.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]); // "PK\3\4"
    const files = unzip(bytes);
    expect([...files.keys()]).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'docProps/core.xml']));
    const xml = new TextDecoder().decode(files.get('word/document.xml'));
    for (const f of allFields(aanvraagTlvVso)) expect(xml, f.label).toContain(f.label.replace(/&/g, '&amp;'));
    expect(xml).toContain('VSO De Brug');
    expect(xml).toContain('25 augustus 2025');
    expect(xml).toContain('Digitaal ondertekend door P. Bestuur, bestuurder, op 2 maart 2025.');
    expect(xml).toContain('Hulpvraag: TLV VSO · Geëxporteerd op 5 maart 2025');
    expect(xml).toContain('Voor gezien door ouder(s)/verzorger(s)');
    expect(xml).toContain('☐ OPP (geëvalueerd)');
    const core = new TextDecoder().decode(files.get('docProps/core.xml'));
    expect(core).toContain('Aanvraag TLV VSO');
  });

  it('marks unfilled required fields in the export of an incomplete form', async () => {
    const bytes = await exportFormToDocx({
      definition: aanvraagTlvVso,
      waarden: {},
      ondertekening: null,
      exportedAt: new Date('2025-03-05T10:00:00Z'),
    });
    const xml = new TextDecoder().decode(unzip(bytes).get('word/document.xml'));
    expect(xml).toContain('niet ingevuld (verplicht)');
    expect(xml).toContain('Nog niet ondertekend door het bevoegd gezag.');
  });
});

describe('privacy on forms', () => {
  it('checks free-text answers for the leerling’s name but not the prefilled leerling fields', () => {
    const values = { ...completeTlv(), onderwijsbehoeften: 'Daan heeft een kleine groep nodig.' };
    const detector = createPiiDetector(privacyLeerlingFrom(leerling), { now: new Date('2025-03-01T00:00:00Z') });
    const r = checkFormPrivacy(aanvraagTlvVso, values, detector);
    expect(r.map((x) => [x.key, x.findings.map((f) => f.match)])).toEqual([['onderwijsbehoeften', ['Daan']]]);
    expect(scopeNeedsPrivacyCheck('formulieren')).toBe(true);
    expect(scopeNeedsPrivacyCheck('leerling')).toBe(false);
  });

  it('leaves the leerling fields alone: the name, address and ouders are on the form by design, not a PII finding', () => {
    const detector = createPiiDetector(privacyLeerlingFrom(leerling), { now: new Date('2025-03-01T00:00:00Z') });
    const naamVeld = allFields(aanvraagTlvVso).find((f) => f.key === 'leerling-naam');
    expect(naamVeld && isLeerlingVeld(naamVeld) && !fieldNeedsPrivacyCheck(naamVeld)).toBe(true);
    // The same text in a free-text answer is flagged, so the exemption is about the field, not the words.
    expect(detector.scan(String(completeTlv()['leerling-naam'])).length).toBeGreaterThan(0);
    expect(checkFormPrivacy(aanvraagTlvVso, completeTlv(), detector)).toEqual([]);
  });
});

describe('type once: the leerling fields of a form come from the leerling tab (issue 21)', () => {
  it('gives the leerling tab’s values for exactly the leerling fields, nothing from school or profile', () => {
    const w = leerlingWaarden(aanvraagTlvVso, leerling);
    expect(w).toEqual({
      'leerling-naam': 'Daan de Vries',
      'leerling-geboortedatum': '2012-03-12',
      'leerling-adres': 'Kerkstraat 12, 1234 AB Dorp',
      gezagssituatie: 'Eén ouder',
      ouders: 'Moeder: Ayşe Öztürk, 06-12345678 (met gezag)',
    });
    const leerlingVelden = allFields(aanvraagTlvVso)
      .filter(isLeerlingVeld)
      .map((f) => f.key);
    expect(Object.keys(w).every((k) => leerlingVelden.includes(k))).toBe(true);
  });

  it('leaves a field the leerling tab does not fill out, so it stays editable on the form', () => {
    const { gezagssituatie: _weg, ...zonderGezag } = leerling;
    const w = leerlingWaarden(aanvraagTlvVso, { ...zonderGezag, ouders: [] });
    expect(w).not.toHaveProperty('gezagssituatie');
    expect(w).not.toHaveProperty('ouders');
    expect(w['leerling-naam']).toBe('Daan de Vries');
  });
});
