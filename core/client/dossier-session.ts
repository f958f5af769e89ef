// One dossier as this client writes to it: the one place that checks the write right and the rule
// "personal data only in the leerling tab" before a change goes to one of the dossier's rooms, so a use
// case cannot submit a change that skipped either check.
import type * as Y from 'yjs';
import { atLeast } from '../access/principal.js';
import { scopeKind, type Scope } from '../access/rooms.js';
import type { ScopeKind } from '../model/grant.js';
import { scanForPii } from '../privacy/detector.js';
import { privacyLeerlingFrom } from '../privacy/from-leerling.js';
import { scopeNeedsPrivacyCheck } from '../privacy/scope.js';
import { ok, fail, type Result } from '../result.js';
import type { ClientCore } from './client-core.js';
import { ensureRoom } from './client-rooms.js';
import { reconcile } from './client-access.js';
import type { HulpvraagId } from '../model/ids.js';
import * as docs from './dossier-docs.js';
import type { DossierState } from './dossier-state.js';

export class DossierSession {
  constructor(
    private readonly c: ClientCore,
    readonly state: DossierState,
  ) {}

  /**
   * Refuses free text that names the leerling or holds a BSN, address, … in a part of the dossier that
   * others read: which parts those are is one table, `scopeNeedsPrivacyCheck` (not the leerling tab, not
   * one's own notities). Use cases whose text is checked before other work (signing, access records)
   * call it early; `write` calls it otherwise.
   */
  checkFreeText(kind: ScopeKind, text: string): Result<void> {
    if (!scopeNeedsPrivacyCheck(kind)) return ok(undefined);
    const d = this.state.docs.get('leerling');
    const l = d ? docs.readLeerling(d.doc) : null;
    if (!l || text.trim() === '') return ok(undefined);
    const findings = scanForPii(text, privacyLeerlingFrom(l));
    if (findings.length === 0) return ok(undefined);
    return fail('persoonsgegevens', 'Deze tekst bevat persoonsgegevens van de leerling. Die horen alleen in het tabblad Leerling.');
  }

  /**
   * Changes the room of `scope` and waits until the change is sealed in the outbox. `freeText`, when
   * given, is checked for personal data first; then the write right, as of now.
   */
  async write(scope: Scope, change: (doc: Y.Doc) => void, freeText?: string): Promise<Result<void>> {
    if (freeText !== undefined) {
      const pii = this.checkFreeText(scopeKind(scope), freeText);
      if (!pii.ok) return pii;
    }
    if (!atLeast(this.c.myAccess(this.state, scope), 'write'))
      return fail('geen-schrijfrecht', 'U mag dit onderdeel van het dossier niet wijzigen.');
    const doc = await ensureRoom(this.c, this.state, scope);
    doc.change(change);
    return this.c.settle();
  }

  /**
   * Brings the dossier's access list in line with what its processes want now (R23, `planWorkflowAccess`):
   * for one hulpvraag after a change to it (status, coördinator, betrokken organisaties, aanpak), or for
   * all of them in the tick's sweep. Only an admin device of the dossier acts.
   */
  reconcileAccess(only?: HulpvraagId): Promise<void> {
    return reconcile(this.c, this.state, only);
  }
}

/** The write side of `st` for this client (made per use: it holds no state of its own yet). */
export const dossierSession = (c: ClientCore, st: DossierState): DossierSession => new DossierSession(c, st);
