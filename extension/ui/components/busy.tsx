// Runs an action from a button, shows its Dutch error or success message and
// blocks double submits.
import { useState } from 'preact/hooks';
import type { Result } from '../../../core/result.js';
import { ALGEMENE_FOUT, leesbaar } from '../leesbaar.js';

export interface Actie {
  readonly bezig: boolean;
  readonly fout: string | null;
  readonly ok: string | null;
  run<T>(fn: () => Promise<Result<T>>, okTekst?: string): Promise<T | undefined>;
  reset(): void;
}

export function useActie(): Actie {
  const [bezig, setBezig] = useState(false);
  const [fout, setFout] = useState<string | null>(null);
  const [okTekst, setOk] = useState<string | null>(null);
  return {
    bezig,
    fout,
    ok: okTekst,
    reset() {
      setFout(null);
      setOk(null);
    },
    async run<T>(fn: () => Promise<Result<T>>, tekst?: string) {
      setBezig(true);
      setFout(null);
      setOk(null);
      try {
        const r = await fn();
        if (!r.ok) {
          setFout(leesbaar(r.error.message));
          return undefined;
        }
        if (tekst) setOk(tekst);
        return r.value;
      } catch (e) {
        // An exception is a bug, not something to explain: the console keeps it, the screen says what to do.
        console.error(e);
        setFout(ALGEMENE_FOUT);
        return undefined;
      } finally {
        setBezig(false);
      }
    },
  };
}

export function ActieMelding(props: { readonly actie: Actie }) {
  if (props.actie.fout) {
    return (
      <div class="kk-fout" role="alert">
        {props.actie.fout}
      </div>
    );
  }
  if (props.actie.ok) {
    return (
      <div class="kk-ok" role="status">
        {props.actie.ok}
      </div>
    );
  }
  return null;
}
