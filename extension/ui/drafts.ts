// Every typed character is kept as a draft sealed with this device's local key
// (core/store drafts), so an auto-lock or a closed tab never loses work; after
// unlocking, the same screen restores the draft.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useBackend } from './context.js';

export function useDraft(key: string, initial: string): [string, (v: string) => void, () => void] {
  const backend = useBackend();
  const [value, setValue] = useState(initial);
  const dirty = useRef(false);
  useEffect(() => {
    let live = true;
    dirty.current = false;
    setValue(initial);
    backend.loadDraft(key).then(
      (d) => {
        if (live && d !== null && !dirty.current) setValue(d);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [backend, key, initial]);
  const update = (v: string) => {
    dirty.current = true;
    setValue(v);
    void backend.saveDraft(key, v);
  };
  const clear = () => {
    dirty.current = false;
    void backend.saveDraft(key, '');
  };
  return [value, update, clear];
}
