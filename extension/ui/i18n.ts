// A small translation table: Dutch is the default UI language, English the
// option. Domain words (hulpvraag, overlegronde, status names) stay Dutch in
// both, because users, manuals and SWV staff use them. The language is read
// once before rendering; switching reloads the page.
import { browser } from 'wxt/browser';

export type Lang = 'nl' | 'en';

const EN: Readonly<Record<string, string>> = {
  'Mijn hulpvragen': 'My hulpvragen',
  Ongelezen: 'Unread',
  'Open dossier': 'Open dossier',
  'Nieuwe hulpvraag': 'New hulpvraag',
  'Open zijpaneel': 'Open side panel',
  Hulpvragen: 'Hulpvragen',
  Zoeken: 'Search',
  'Wis filters': 'Clear filters',
  Kolommen: 'Columns',
  'Volledig scherm': 'Full screen',
  Opslaan: 'Save',
  Annuleren: 'Cancel',
  Vergrendelen: 'Lock',
  Ontgrendelen: 'Unlock',
  Wachtwoordzin: 'Passphrase',
  Instellingen: 'Settings',
  Taal: 'Language',
  Beheer: 'Administration',
  'Wisseling van personeel': 'Staff change',
  Privacy: 'Privacy',
  'Status wijzigen': 'Change status',
  Statushistorie: 'Status history',
  Bijlagen: 'Attachments',
  Toegang: 'Access',
  'Mijn notities': 'My notes',
  Verwijderen: 'Remove',
  'Geen hulpvragen gevonden.': 'No hulpvragen found.',
  'Kindkluis is vergrendeld.': 'Kindkluis is locked.',
  'Niets gevonden': 'Nothing found',
  'Controleer versleuteling': 'Check encryption',
  Relay: 'Relay',
  'Welkom bij Kindkluis': 'Welcome to Kindkluis',
  'Nieuw samenwerkingsverband': 'New partnership (SWV)',
  'Aansluiten met uitnodigingscode': 'Join with an invitation code',
};

let current: Lang = 'nl';

export const setLang = (lang: Lang): void => {
  current = lang;
  document.documentElement.lang = lang;
};
export const getLang = (): Lang => current;

/** Translates a Dutch UI string; unknown strings stay Dutch. */
export const t = (nl: string): string => (current === 'en' ? (EN[nl] ?? nl) : nl);

export const LANG_KEY = 'kk-lang';

export async function loadLang(): Promise<Lang> {
  const got = await browser.storage.local.get(LANG_KEY);
  const lang: Lang = got[LANG_KEY] === 'en' ? 'en' : 'nl';
  setLang(lang);
  return lang;
}

export async function saveLang(lang: Lang): Promise<void> {
  await browser.storage.local.set({ [LANG_KEY]: lang });
  setLang(lang);
}
