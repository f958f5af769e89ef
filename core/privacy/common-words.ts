// Dutch words that are also first names or surnames ("Roos", "de Jong", "Mei").
// Such a name is only reported when it is written as a name: capitalised and
// not at the start of a sentence, or next to another part of the same name.

export const COMMON_WORD_NAMES: ReadonlySet<string> = new Set([
  // months and days
  'januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december',
  'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag',
  // seasons, nature
  'lente', 'zomer', 'herfst', 'winter', 'storm', 'zon', 'maan', 'ster', 'sterre', 'wind', 'regen', 'sneeuw', 'roos', 'bloem', 'lelie', 'iris', 'jasmijn', 'linde', 
  'bos', 'berg', 'dijk', 'veen', 'meer', 'beek', 'brink', 'hout', 'heuvel', 'veld', 'akker', 'weide',
  // adjectives and colours
  'groot', 'klein', 'jong', 'oud', 'wit', 'zwart', 'rood', 'bruin', 'groen', 'blauw', 'grijs', 'geel', 'lang', 'kort', 'snel', 'goed', 'wijs', 'vroom', 'lief', 'blij', 'vrij', 'sterk', 'stil', 'fijn', 'rijk', 'arm',
  // professions and titles
  'boer', 'bakker', 'visser', 'kok', 'smit', 'smid', 'mulder', 'molenaar', 'kuiper', 'koster', 'schipper', 'koning', 'keizer', 'prins', 'graaf', 'ridder', 'meester', 'dekker', 'timmerman', 'schilder', 'brouwer', 'slager', 'jager', 'herder', 'koopman', 'dokter',
  // animals
  'vos', 'mol', 'haan', 'haas', 'vis', 'hert', 'leeuw', 'wolf', 'beer', 'vink', 'mees', 'kraai', 'valk', 'zwaan', 'schaap', 'bok', 'uil', 'das', 'kat',
  // other frequent words
  'hoop', 'vrede', 'liefde', 'geluk', 'zege', 'dag', 'nacht', 'huis', 'kerk', 'school', 'groep', 'klas', 'bas', 'fleur', 'lot', 'ben', 'jade', 'do', 'ad', 'jan', 'pier', 'sint', 'plas', 'kamp', 'hof', 'wal', 'laan',
]);
