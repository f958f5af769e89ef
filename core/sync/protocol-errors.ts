// Every error code the relay can send, with its Dutch message. The codes are
// the contract (clients switch on them); the messages never contain content,
// names or ids. Listed with their rules in docs/PROTOCOL.md.

export const PROTOCOL_ERRORS = {
  'frame-ongeldig': 'Het bericht kon niet worden gelezen.',
  'bericht-onbekend': 'Dit soort bericht kent de relay niet.',
  'bericht-ongeldig': 'Het bericht heeft niet de verwachte vorm.',
  'protocolversie-niet-ondersteund': 'Deze versie van Kindkluis wordt door de relay niet ondersteund; werk Kindkluis bij.',
  'volgorde-onjuist': 'Dit bericht komt op dit moment van de aanmelding niet in aanmerking.',
  'niet-aangemeld': 'Meld eerst aan voordat u dit verstuurt.',
  'certificaat-geweigerd': 'Het apparaatcertificaat wordt door deze relay niet geaccepteerd.',
  'aanmelding-mislukt': 'De aanmelding is mislukt: de handtekening klopt niet.',
  'origin-onjuist': 'De aanmelding is bedoeld voor een andere relay.',
  'ruimte-ongeldig': 'De ruimte-aanduiding is ongeldig.',
  'envelop-ongeldig': 'Het versleutelde bericht is beschadigd of onvolledig.',
  'handtekening-ongeldig': 'De handtekening van het bericht klopt niet.',
  'auteur-onjuist': 'Het bericht is niet door dit apparaat ondertekend.',
  'ruimte-onjuist': 'Het bericht hoort bij een andere ruimte dan opgegeven.',
  'soort-onjuist': 'Dit soort bericht hoort niet in deze ruimte of bij deze opdracht.',
  'geen-toegang': 'U heeft geen toegang tot dit dossieronderdeel.',
  'geen-schrijfrecht': 'U mag in dit dossieronderdeel niet schrijven.',
  'toegang-verlopen': 'Uw toegang tot dit dossier is verlopen.',
  'toegang-ingetrokken': 'Uw toegang tot dit dossieronderdeel is beëindigd.',
  'toegangsrecord-geweigerd': 'Het toegangsrecord past niet op de toegangslijst van het dossier.',
  'dossier-onbekend': 'Dit dossier heeft nog geen toegangslijst.',
  'epoch-verouderd': 'Het bericht is versleuteld met een verouderde sleutel; het wordt opnieuw versleuteld.',
  'teller-conflict': 'Dit berichtnummer is al gebruikt voor een ander bericht.',
  'momentopname-onjuist': 'De momentopname sluit niet aan op de vorige of dekt meer dan er is.',
  'bijlage-onjuist': 'De bijlage komt niet overeen met haar controlegetal.',
  'bijlage-onbekend': 'Deze bijlage is niet (meer) aanwezig.',
  'limiet-overschreden': 'Een limiet van de relay is overschreden.',
  'te-veel-verbindingen': 'Dit apparaat heeft te veel verbindingen tegelijk open.',
  'swv-registratie-uit': 'Deze relay neemt geen nieuwe samenwerkingsverbanden aan.',
  'swv-bestaat-al': 'Dit samenwerkingsverband is al met een andere sleutel bekend.',
  'bewijs-ongeldig': 'Het bewijs van de sleutel klopt niet.',
  'ontvanger-onbekend': 'Een of meer ontvangers zijn geen lid van dit dossier.',
  'te-traag': 'De verbinding verwerkt berichten te traag en wordt gesloten.',
  'opslag-fout': 'De relay kon het bericht niet veilig opslaan; probeer het later opnieuw.',
  'relay-stopt': 'De relay wordt herstart; maak zo opnieuw verbinding.',
  'dossier-vernietigd': 'De bewaartermijn van dit dossier is verstreken; het is vernietigd en neemt niets meer aan.',
  'gebruiker-beeindigd': 'Het samenwerkingsverband heeft uw toegang beëindigd.',
  'beeindiging-ongeldig': 'Dit bericht over het einde van een gebruiker is niet door het samenwerkingsverband ondertekend.',
  'apparaat-ingetrokken': 'Dit apparaat is ingetrokken (kwijt of gestolen gemeld) en heeft geen toegang meer.',
  'intrekking-ongeldig': 'Deze intrekking van een apparaat is niet geldig ondertekend.',
  'vernieuwing-ongeldig': 'Dit verzoek om een nieuwe sleutel is niet door dit apparaat voor zichzelf ondertekend.',
  'tlv-register-geweigerd': 'Alleen medewerkers van het samenwerkingsverband kunnen een TLV-volgnummer aanvragen.',
  'opslag-vol':
    'De opslagruimte van uw samenwerkingsverband op deze relay is vol. Uw wijziging blijft op dit apparaat bewaard; vraag de beheerder van de relay om meer ruimte.',
} as const;

export type ProtocolErrorCode = keyof typeof PROTOCOL_ERRORS;
export const PROTOCOL_ERROR_CODES = Object.keys(PROTOCOL_ERRORS) as ProtocolErrorCode[];

export const isProtocolErrorCode = (code: string): code is ProtocolErrorCode => Object.hasOwn(PROTOCOL_ERRORS, code);
