// The visible legend of the marks on a form (002, issue 21): yellow = required,
// ^ = only if applicable, ? = help. Shown wherever those marks appear.
export function Legenda(props: { readonly vraagteken?: boolean }) {
  return (
    <p class="kk-legenda" data-testid="legenda">
      <span>
        <span class="kk-legenda-geel" aria-hidden="true" /> Geel veld: verplicht
      </span>
      <span>^ achter een vraag: alleen invullen als het van toepassing is</span>
      {props.vraagteken === false ? null : <span>? : uitleg bij de vraag</span>}
    </p>
  );
}
