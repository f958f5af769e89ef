// A file picker in Dutch. The browser's own file input writes "Choose Files" / "No file chosen" in
// the browser's language, whatever the page's; it stays in the page for the keyboard, screen readers
// and the field's label, but out of sight, and a Dutch button and the chosen file names show instead.
import { useState } from 'preact/hooks';
import { Input } from './controls.js';

export function BestandKiezen(props: {
  readonly id: string;
  readonly multiple?: boolean;
  readonly disabled?: boolean;
  readonly onKies: (input: HTMLInputElement) => void;
}) {
  const [namen, setNamen] = useState<readonly string[]>([]);
  const gekozen = `${props.id}-gekozen`;
  return (
    <div class="kk-bestand">
      <Input
        id={props.id}
        class="sr-only"
        type="file"
        multiple={props.multiple === true}
        disabled={props.disabled === true}
        aria-describedby={gekozen}
        onChange={(e) => {
          const input = e.currentTarget;
          setNamen([...(input.files ?? [])].map((f) => f.name));
          props.onKies(input);
        }}
      />
      {/* A label opens the browser's file dialog by itself; the hidden input keeps the focus, the label shows it. */}
      <label for={props.id} class="kk-knop secundair">
        Bestand kiezen…
      </label>{' '}
      <span id={gekozen} class="kk-onderschrift" aria-live="polite">
        {namen.length === 0 ? 'Geen bestand gekozen' : namen.join(', ')}
      </span>
    </div>
  );
}
