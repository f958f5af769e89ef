// A labelled form control: yellow when required (002), a `?` button that shows
// the help text, `^` after the label when only needed if applicable, and any
// warnings (personal data, links) right below where the text is typed.
import { cloneElement, isValidElement, type ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { leesbaar } from '../leesbaar.js';

let counter = 0;
export const nextId = (prefix: string): string => `${prefix}-${++counter}`;

export function Field(props: {
  readonly id: string;
  readonly label: string;
  readonly verplicht?: boolean;
  readonly alleenIndienVanToepassing?: boolean;
  readonly hulp?: string | undefined;
  readonly children: ComponentChildren;
  readonly meldingen?: ComponentChildren;
  /** What is wrong with the value now (inline validation), shown under the control and tied to it. */
  readonly fout?: string | undefined;
}) {
  const [toonHulp, setToonHulp] = useState(false);
  return (
    <div class={`kk-veld${props.verplicht ? ' verplicht' : ''}`}>
      <div class="kk-rij">
        <label for={props.id}>
          {props.label}
          {props.alleenIndienVanToepassing ? (
            <>
              <span aria-hidden="true" title="Alleen invullen indien van toepassing">
                {' '}
                ^
              </span>
              <span class="sr-only"> (alleen indien van toepassing)</span>
            </>
          ) : null}
        </label>
        {props.hulp ? (
          <button
            type="button"
            class="kk-hulpknop secundair"
            aria-expanded={toonHulp}
            aria-controls={`${props.id}-hulp`}
            aria-label={`Toelichting bij ${props.label}`}
            title={props.hulp}
            onClick={() => setToonHulp(!toonHulp)}
          >
            ?
          </button>
        ) : null}
      </div>
      {props.hulp && toonHulp ? (
        <div class="kk-hulp" id={`${props.id}-hulp`}>
          {props.hulp}
        </div>
      ) : null}
      {isValidElement(props.children) && (props.verplicht || props.fout)
        ? cloneElement(props.children, {
            ...(props.verplicht ? { 'aria-required': true } : {}),
            ...(props.fout ? { 'aria-invalid': true, 'aria-describedby': `${props.id}-fout` } : {}),
          })
        : props.children}
      {props.fout ? (
        <p class="kk-fout-inline" id={`${props.id}-fout`} data-testid="veld-fout">
          {props.fout}
        </p>
      ) : null}
      {props.meldingen}
    </div>
  );
}

export function Melding(props: { readonly soort: 'fout' | 'waarschuwing' | 'ok'; readonly children: ComponentChildren }) {
  const cls = props.soort === 'fout' ? 'kk-fout' : props.soort === 'ok' ? 'kk-ok' : 'kk-waarschuwing';
  return (
    <div class={cls} role={props.soort === 'fout' ? 'alert' : 'status'}>
      {typeof props.children === 'string' ? leesbaar(props.children) : props.children}
    </div>
  );
}
