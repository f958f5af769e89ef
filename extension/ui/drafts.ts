// Every typed character is kept as a draft sealed with this device's local key
// (core/store drafts), so an auto-lock or a closed tab never loses work; after
// unlocking, the same screen restores the draft.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useBackend } from './context.js';

/**
 * This page's latest typed value per draft key (memory only, like the screen itself): a form that
 * is mounted again (a dossier refresh, a tab switch) gets it back at once, instead of waiting for
 * the sealed draft, whose save may not have finished yet. Cleared when Kindkluis locks.
 */
const getypt = new Map<string, string>();
export const vergeetGetypt = (): void => getypt.clear();

export function useDraft(key: string, initial: string): [string, (v: string) => void, () => void] {
  const backend = useBackend();
  const [value, setValue] = useState(() => getypt.get(key) ?? initial);
  const dirty = useRef(false);
  useEffect(() => {
    let live = true;
    const inMemory = getypt.get(key);
    dirty.current = inMemory !== undefined;
    setValue(inMemory ?? initial);
    if (inMemory === undefined) {
      backend.loadDraft(key).then(
        (d) => {
          if (live && d !== null && !dirty.current) setValue(d);
        },
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
  }, [backend, key, initial]);
  const update = (v: string) => {
    dirty.current = true;
    getypt.set(key, v);
    setValue(v);
    void backend.saveDraft(key, v);
  };
  const clear = () => {
    dirty.current = false;
    getypt.delete(key);
    void backend.saveDraft(key, '');
  };
  return [value, update, clear];
}
