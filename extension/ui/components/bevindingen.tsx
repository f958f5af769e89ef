// Shows personal-data or link findings right where the text is typed, with the
// reason and a one-click fix.
import type { Bevinding } from '../pii.js';

export function Bevindingen(props: {
  readonly id: string;
  readonly bevindingen: readonly Bevinding[];
  readonly onHerstel: (tekst: string) => void;
  readonly soort: 'pii' | 'link';
}) {
  if (props.bevindingen.length === 0) return null;
  return (
    <div class="kk-waarschuwing" role="alert" id={props.id} data-testid={`${props.soort}-waarschuwing`}>
      <strong>
        {props.soort === 'pii' ? 'Let op: persoonsgegevens buiten het tabblad Leerling' : 'Let op: links horen niet in een overlegronde'}
      </strong>
      <ul>
        {props.bevindingen.map((b, i) => (
          <li key={i}>
            {b.reden} <q>{b.fragment}</q>{' '}
            <button type="button" class="secundair" onClick={() => props.onHerstel(b.herstel)}>
              {props.soort === 'pii' ? 'Verwijder' : 'Haal link weg'}
            </button>
          </li>
        ))}
      </ul>
      {props.soort === 'pii' ? (
        <p class="kk-onderschrift">Persoonsgegevens van de leerling staan alleen op het tabblad Leerling.</p>
      ) : (
        <p class="kk-onderschrift">Voeg het document toe als bijlage in plaats van een link.</p>
      )}
    </div>
  );
}
