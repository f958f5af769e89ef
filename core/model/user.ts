// People: a user has a profile (used for the message signature) and roles per SWV.
import type { OrganisationId, SwvId, UserId } from './ids.js';
import type { Role } from './role.js';

/** Name and function as shown under every message (000: voornaam, achternaam, functie, organisatie). */
export interface UserProfile {
  readonly voornaam: string;
  readonly achternaam: string;
  readonly functie: string;
  readonly organisatie: OrganisationId;
  /** Display name of the organisation, for the signature block. */
  readonly organisatieNaam: string;
  readonly email: string;
}

export interface User extends UserProfile {
  readonly id: UserId;
  /** One account for all SWVs, with roles per SWV (the seed's one-account-per-SWV is a weakness we fix). */
  readonly rolesPerSwv: Readonly<Record<SwvId, readonly Role[]>>;
}

/** Who performs an action, as the workflow engine sees it: taken from the verified device certificate. */
export interface Actor {
  readonly userId: UserId;
  readonly organisationId: OrganisationId;
  /** Roles of this user in the SWV the dossier belongs to. */
  readonly roles: readonly Role[];
}
