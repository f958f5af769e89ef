// Every domain-separation string Kindkluis signs under, in one table: a
// signature made for one purpose must never verify as another, so no two
// contexts may be equal, and none may be a prefix of another (the raw-byte
// framings below concatenate context and message). A new signed object adds
// its row here; test/crypto/signing-contexts.test.ts checks the table and that
// no module of core/ writes a context string of its own.
import type { EnvelopeKind } from './envelope.js';

export const SIGNING_CONTEXTS = {
  // Certificates, revocations, hashes and key boxes (core/access): context || 0x00 || encodeCanonical(body).
  organisation: 'kindkluis/cert-organisatie/v1',
  user: 'kindkluis/cert-gebruiker/v1',
  device: 'kindkluis/cert-apparaat/v1',
  revocation: 'kindkluis/intrekking-apparaat/v1',
  userEnd: 'kindkluis/einde-gebruiker/v1',
  form: 'kindkluis/formulier-handtekening/v1',
  profile: 'kindkluis/profiel/v1',
  memberList: 'kindkluis/ledenlijst/v1',
  directoryPage: 'kindkluis/ledenlijst-pagina/v1',
  /** A new directory (and staff) key delivered to one device after someone was ended (PROTOCOL P48) [R151]. */
  directoryKeyDelivery: 'kindkluis/ledenlijst-sleutel/v1',
  /** A device asks for a certificate on a fresh agreement key, signed with its own device key (PROTOCOL P49) [R84, R155]. */
  keyRenewal: 'kindkluis/sleutelvernieuwing/v1',
  /** The SWV's retention policy, signed by its root and read by every member (PROTOCOL P50) [R156]. */
  retentionPolicy: 'kindkluis/bewaarbeleid/v1',
  keyBox: 'kindkluis/sleuteldoos/v1',
  previousKey: 'kindkluis/vorige-sleutel/v1',
  /** The `context` field of a form's signed content (core/forms), covered by the `form` signature. */
  formContent: 'kindkluis/formulier/v1',
  // Signed items inside documents (core/client): context || 0x00 || canonical payload bytes.
  statusEvent: 'kindkluis/statusgebeurtenis/v1',
  message: 'kindkluis/bericht/v1',
  messageEdit: 'kindkluis/berichtbewerking/v1',
  /** Hulpvraag settings that give access or a role (core/client/signed-setting.ts) [R125, R127]. */
  betrokken: 'kindkluis/betrokken-organisaties/v1',
  coordinator: 'kindkluis/coordinator/v1',
  /** An aanpak: whom it invites and until when (core/client/aanpak-getekend.ts) [R134]. */
  aanpak: 'kindkluis/aanpak/v1',
  onderwerpAfgehandeld: 'kindkluis/onderwerp-afgehandeld/v1',
  // The inzage-export manifest (core/export): context || 0x00 || manifest.json bytes.
  exportManifest: 'kindkluis/export-manifest/v1',
  /** Not a signature: the prefix of a TLV register claim, SHA-256(context || 0x00 || hulpvraag || 0x00 || bewijs) (core/client) [P71]. */
  tlvClaim: 'kindkluis/tlv-volgnummer/v1',
  // The relay protocol outside envelopes (core/sync): a `context` field of the signed canonical value.
  auth: 'kindkluis/auth/v1',
  registerSwv: 'kindkluis/register-swv/v1',
  /** The relay's identity key over a `served-log` answer (core/sync/served-log-signature.ts) [P83]. */
  servedLog: 'kindkluis/bezorglogboek/v1',
} as const;

/** Envelopes sign `{ context, digest }` canonically, a context per kind (wire kinds are append-only, so are these). */
export const ENVELOPE_SIGNING_CONTEXTS = {
  update: 'kindkluis/update/v1',
  snapshot: 'kindkluis/snapshot/v1',
  awareness: 'kindkluis/awareness/v1',
  keybox: 'kindkluis/keybox/v1',
  acl: 'kindkluis/acl/v1',
  access: 'kindkluis/access/v1',
  seen: 'kindkluis/seen/v1',
} as const satisfies Record<EnvelopeKind, string>;
