// The only form controls the extension's pages render (lint refuses a raw
// <input>, <textarea> or <select> elsewhere). Each one carries
// autocomplete="off", which is what keeps Chromium from saving the control's
// value in the tab's page state, and so in the profile's Sessions/ files on
// disk, where it would outlive the lock [R32]. Password fields keep their
// new-password/current-password hint for password managers: Blink never saves
// the state of a password field.
import type { InputHTMLAttributes, Ref, SelectHTMLAttributes, TextareaHTMLAttributes } from 'preact';

type ZonderAutocomplete<T> = Omit<T, 'autocomplete' | 'autoComplete' | 'ref'>;

/** Any `<input>`; a password field is `WachtwoordVeld`. */
export function Input(props: ZonderAutocomplete<InputHTMLAttributes<HTMLInputElement>>) {
  return <input {...props} autocomplete="off" />;
}

/** A password field: `nieuw` when the user chooses one, `huidig` when typing the one they have. */
export function WachtwoordVeld(props: ZonderAutocomplete<InputHTMLAttributes<HTMLInputElement>> & { readonly soort: 'nieuw' | 'huidig' }) {
  const { soort, ...rest } = props;
  return <input {...rest} type="password" autocomplete={soort === 'nieuw' ? 'new-password' : 'current-password'} />;
}

export function TextArea(
  props: ZonderAutocomplete<TextareaHTMLAttributes<HTMLTextAreaElement>> & { readonly elementRef?: Ref<HTMLTextAreaElement> },
) {
  const { elementRef, ...rest } = props;
  return <textarea {...rest} ref={elementRef ?? null} autocomplete="off" />;
}

export function Select(props: ZonderAutocomplete<SelectHTMLAttributes<HTMLSelectElement>>) {
  return <select {...props} autocomplete="off" />;
}
