// Tabblad Leerling: the only place for personal data (000): names, geboortedatum,
// BSN, address (keep it current, 002), ouders and gezagssituatie.
import { useState } from 'preact/hooks';
import type { Adres, Leerling, Ouder } from '../../../core/model/leerling.js';
import { ActieMelding, useActie } from '../components/busy.js';
import { Field } from '../components/field.js';
import { Legenda } from '../components/legenda.js';
import { useBackend } from '../context.js';
import { formatDatum } from '../format.js';
import { Input, Select } from '../components/controls.js';

type LeerlingInvoer = Omit<Leerling, 'id'>;

export const LEGE_LEERLING: LeerlingInvoer = { voornaam: '', achternaam: '', geboortedatum: '', adressen: [], ouders: [] };

export function LeerlingVelden(props: {
  readonly waarde: LeerlingInvoer;
  readonly onChange: (l: LeerlingInvoer) => void;
  readonly prefix: string;
}) {
  const l = props.waarde;
  const adres: Adres = l.adressen[l.adressen.length - 1] ?? { straat: '', huisnummer: '', postcode: '', plaats: '' };
  const zetAdres = (a: Partial<Adres>) => {
    const nieuw = { ...adres, ...a };
    props.onChange({ ...l, adressen: l.adressen.length ? [...l.adressen.slice(0, -1), nieuw] : [nieuw] });
  };
  const ouder: Ouder = l.ouders[0] ?? { voornaam: '', achternaam: '', relatie: 'moeder', heeftGezag: true };
  const zetOuder = (o: Partial<Ouder>) => props.onChange({ ...l, ouders: [{ ...ouder, ...o }, ...l.ouders.slice(1)] });
  const p = props.prefix;
  return (
    <>
      <Legenda />
      <fieldset class="kk-kaart">
        <legend>Leerling</legend>
        <Field id={`${p}-voornaam`} label="Voornaam" verplicht>
          <Input
            id={`${p}-voornaam`}
            value={l.voornaam}
            required
            onInput={(e) => props.onChange({ ...l, voornaam: e.currentTarget.value })}
          />
        </Field>
        <Field id={`${p}-tussenvoegsel`} label="Tussenvoegsel" alleenIndienVanToepassing>
          <Input
            id={`${p}-tussenvoegsel`}
            value={l.tussenvoegsel ?? ''}
            onInput={(e) => props.onChange({ ...l, tussenvoegsel: e.currentTarget.value })}
          />
        </Field>
        <Field id={`${p}-achternaam`} label="Achternaam" verplicht>
          <Input
            id={`${p}-achternaam`}
            value={l.achternaam}
            required
            onInput={(e) => props.onChange({ ...l, achternaam: e.currentTarget.value })}
          />
        </Field>
        <Field id={`${p}-roepnaam`} label="Roepnaam" alleenIndienVanToepassing>
          <Input id={`${p}-roepnaam`} value={l.roepnaam ?? ''} onInput={(e) => props.onChange({ ...l, roepnaam: e.currentTarget.value })} />
        </Field>
        <Field id={`${p}-geboortedatum`} label="Geboortedatum" verplicht>
          <Input
            id={`${p}-geboortedatum`}
            type="date"
            value={l.geboortedatum}
            required
            onInput={(e) => props.onChange({ ...l, geboortedatum: e.currentTarget.value })}
          />
        </Field>
        <Field
          id={`${p}-bsn`}
          label="BSN"
          alleenIndienVanToepassing
          hulp="Burgerservicenummer (9 cijfers); wordt gecontroleerd met de elfproef."
        >
          <Input
            id={`${p}-bsn`}
            inputMode="numeric"
            value={l.bsn ?? ''}
            onInput={(e) => props.onChange({ ...l, bsn: e.currentTarget.value })}
          />
        </Field>
      </fieldset>
      <fieldset class="kk-kaart">
        <legend>Adres (actueel houden bij een verhuizing)</legend>
        <Field id={`${p}-straat`} label="Straat">
          <Input id={`${p}-straat`} value={adres.straat} onInput={(e) => zetAdres({ straat: e.currentTarget.value })} />
        </Field>
        <Field id={`${p}-huisnummer`} label="Huisnummer">
          <Input id={`${p}-huisnummer`} value={adres.huisnummer} onInput={(e) => zetAdres({ huisnummer: e.currentTarget.value })} />
        </Field>
        <Field id={`${p}-postcode`} label="Postcode">
          <Input id={`${p}-postcode`} value={adres.postcode} onInput={(e) => zetAdres({ postcode: e.currentTarget.value })} />
        </Field>
        <Field id={`${p}-plaats`} label="Plaats">
          <Input id={`${p}-plaats`} value={adres.plaats} onInput={(e) => zetAdres({ plaats: e.currentTarget.value })} />
        </Field>
      </fieldset>
      <fieldset class="kk-kaart">
        <legend>Ouder/verzorger</legend>
        <Field id={`${p}-ouder-voornaam`} label="Voornaam ouder">
          <Input id={`${p}-ouder-voornaam`} value={ouder.voornaam} onInput={(e) => zetOuder({ voornaam: e.currentTarget.value })} />
        </Field>
        <Field id={`${p}-ouder-achternaam`} label="Achternaam ouder">
          <Input id={`${p}-ouder-achternaam`} value={ouder.achternaam} onInput={(e) => zetOuder({ achternaam: e.currentTarget.value })} />
        </Field>
        <Field id={`${p}-ouder-relatie`} label="Relatie">
          <Select
            id={`${p}-ouder-relatie`}
            value={ouder.relatie}
            onChange={(e) => zetOuder({ relatie: e.currentTarget.value as Ouder['relatie'] })}
          >
            <option value="moeder">Moeder</option>
            <option value="vader">Vader</option>
            <option value="verzorger">Verzorger</option>
            <option value="voogd">Voogd</option>
          </Select>
        </Field>
        <Field id={`${p}-ouder-email`} label="E-mail ouder" alleenIndienVanToepassing>
          <Input
            id={`${p}-ouder-email`}
            type="email"
            value={ouder.email ?? ''}
            onInput={(e) => zetOuder({ email: e.currentTarget.value })}
          />
        </Field>
        <label>
          <Input type="checkbox" checked={ouder.heeftGezag} onChange={(e) => zetOuder({ heeftGezag: e.currentTarget.checked })} /> Heeft
          gezag
        </label>
      </fieldset>
    </>
  );
}

export function LeerlingTab(props: { readonly dossierId: string; readonly leerling: Leerling | null }) {
  const backend = useBackend();
  const actie = useActie();
  const [bewerken, setBewerken] = useState(false);
  const [invoer, setInvoer] = useState<LeerlingInvoer>(props.leerling ?? LEGE_LEERLING);
  if (!props.leerling) return <p>U heeft geen toegang tot de persoonsgegevens van deze leerling.</p>;
  const l = props.leerling;
  if (bewerken) {
    return (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void actie
            .run(() => backend.updateLeerling(props.dossierId, invoer), 'Leerlinggegevens opgeslagen.')
            .then((v) => {
              if (v !== undefined) setBewerken(false);
            });
        }}
      >
        <LeerlingVelden waarde={invoer} onChange={setInvoer} prefix="leerling" />
        <ActieMelding actie={actie} />
        <div class="kk-rij">
          <button type="submit" disabled={actie.bezig}>
            Opslaan
          </button>
          <button type="button" class="secundair" onClick={() => setBewerken(false)}>
            Annuleren
          </button>
        </div>
      </form>
    );
  }
  const adres = l.adressen[l.adressen.length - 1];
  return (
    <section aria-label="Leerlinggegevens">
      <p class="kk-onderschrift">Dit is het enige tabblad waar persoonsgegevens van de leerling staan.</p>
      <dl class="kk-gegevens">
        <dt>Naam</dt>
        <dd>{[l.voornaam, l.tussenvoegsel, l.achternaam].filter(Boolean).join(' ')}</dd>
        <dt>Roepnaam</dt>
        <dd>{l.roepnaam || '–'}</dd>
        <dt>Geboortedatum</dt>
        <dd>{formatDatum(l.geboortedatum)}</dd>
        <dt>BSN</dt>
        <dd>{l.bsn || '–'}</dd>
        <dt>Adres</dt>
        <dd>{adres ? `${adres.straat} ${adres.huisnummer}, ${adres.postcode} ${adres.plaats}` : '–'}</dd>
        <dt>Ouders/verzorgers</dt>
        <dd>
          {l.ouders.length
            ? l.ouders.map((o) => `${o.voornaam} ${o.achternaam} (${o.relatie}${o.heeftGezag ? ', gezag' : ''})`).join('; ')
            : '–'}
        </dd>
      </dl>
      <button
        type="button"
        onClick={() => {
          setInvoer({ ...l });
          setBewerken(true);
        }}
      >
        Leerling bewerken
      </button>
      <ActieMelding actie={actie} />
    </section>
  );
}
