// Preact context giving every screen the page's KindkluisPort and a few shared hooks.
import { createContext } from 'preact';
import { useContext, useEffect, useState, useCallback } from 'preact/hooks';
import type { KindkluisPort } from '../../core/client/port.js';

export const BackendContext = createContext<KindkluisPort | null>(null);

export function useBackend(): KindkluisPort {
  const b = useContext(BackendContext);
  if (!b) throw new Error('KindkluisPort ontbreekt: render het scherm binnen BackendContext.');
  return b;
}

/** Loads data from the backend and reloads whenever the backend reports a change. */
export function useLoad<T>(load: (b: KindkluisPort) => Promise<T>, deps: readonly unknown[]): { data: T | undefined; reload: () => void } {
  const backend = useBackend();
  const [data, setData] = useState<T | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => backend.onChange(reload), [backend, reload]);
  useEffect(() => {
    let live = true;
    load(backend).then(
      (v) => {
        if (live) setData(v);
      },
      (e: unknown) => console.error('Laden mislukt', e instanceof Error ? e.name : 'onbekend'),
    );
    return () => {
      live = false;
    };
  }, [backend, tick, ...deps]);
  return { data, reload };
}

/** Reads and follows `location.hash` as a list of path segments. */
export function useHashRoute(): readonly string[] {
  const parse = () =>
    location.hash
      .replace(/^#\/?/, '')
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const on = () => setRoute(parse());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const go = (...segments: string[]): void => {
  location.hash = `#/${segments.map(encodeURIComponent).join('/')}`;
};
