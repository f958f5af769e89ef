// Issue 15: what per-device keys (PROTOCOL P44) cost in a key rotation. With
// every device its own certificate, a rotation seals one key box per device,
// not one per person. Ten people with three devices each (30 devices) against
// the same ten people with one device each (10): the added bytes of the
// rotation record and the added time to build it, measured in the same run.
// The record is built exactly as a client builds it (buildAccessRecord), for
// one hulpvraag scope.
import { buildAccessRecord } from '../../core/access/build-record.js';
import { createUserIdentity } from '../../core/access/certificate.js';
import type { GrantSpec } from '../../core/access/acl-record.js';
import { encodeEnvelope } from '../../core/crypto/envelope.js';
import { asId, type UserId } from '../../core/model/ids.js';
import { DossierHarness, T0, at, makeMember, makeOrg, makeWorld, provider, type Member } from '../../test/access/fixtures.js';
import { interleave } from '../harness.js';
import type { Suite } from '../suite.js';

const PEOPLE = 10;
const SCOPE = 'hulpvraag:h1' as const;

/** A dossier whose hulpvraag scope is read by `PEOPLE` people with `devices` devices each (plus the IB who rotates). */
async function dossierWith(devices: number): Promise<{ h: DossierHarness; ib: Member }> {
  const w = await makeWorld();
  const swv = w.swv;
  // (makeWorld's IB is the dossier's admin and rotates.)
  const org = await makeOrg(swv, 'jeugd-bench', 'Jeugdteam Bench', 'zorgpartner');
  const h = new DossierHarness(w);
  await h.genesis();
  const members: Member[] = [];
  for (let p = 0; p < PEOPLE; p++) {
    const user = `u-bench-${p}`;
    for (let d = 0; d < devices; d++)
      members.push(
        await makeMember(swv, org, user, ['professional'], { identity: await createUserIdentity(provider, asId<UserId>(user)) }),
      );
  }
  const grants: GrantSpec[] = [...new Set(members.map((m) => m.userId))].map((userId) => ({
    principal: { kind: 'user', userId },
    scope: SCOPE,
    right: 'read',
    expiresAt: null,
  }));
  await h.record('grant', w.ib, { grants, recipients: members.map((m) => m.certificate) });
  return { h, ib: w.ib };
}

async function rotation(d: { h: DossierHarness; ib: Member }, counter: number): Promise<{ ms: number; bytes: number }> {
  const keyring = await d.h.keyring(d.ib);
  const t0 = performance.now();
  const built = await buildAccessRecord(provider, d.h.state, {
    type: 'rotate',
    signer: d.ib.signer,
    at: at(1, T0),
    counter,
    keyring,
    change: { rotate: [SCOPE] },
  });
  const ms = performance.now() - t0;
  if (!built.ok) throw new Error(`rotation: ${built.error.code}`);
  return { ms, bytes: encodeEnvelope(built.value.envelope).length };
}

export const rotationSuite: Suite = {
  name: 'rotatie',
  title: '15. Key rotation with per-device boxes (30 devices vs 10)',
  async run(ctx) {
    const perPerson = await dossierWith(1);
    const perDevice = await dossierWith(3);
    let counter = 1_000;
    const bytes: Record<'persoon' | 'apparaat', number> = { persoon: 0, apparaat: 0 };
    const s = await interleave(ctx.pick(9, 21, 41), {
      baseline: async () => {
        const r = await rotation(perPerson, counter++);
        bytes.persoon = r.bytes;
        return r.ms;
      },
      apparaten: async () => {
        const r = await rotation(perDevice, counter++);
        bytes.apparaat = r.bytes;
        return r.ms;
      },
    });
    ctx.note(
      `One rotation of one hulpvraag scope read by ${PEOPLE} people besides the IB. Record size: ${bytes.persoon} bytes with one device per person (11 boxes), ${bytes.apparaat} bytes with three devices per person (31 boxes): +${bytes.apparaat - bytes.persoon} bytes.`,
    );
    ctx.record({
      id: 'rotatie.baseline.10-apparaten',
      label: `baseline: rotation record, ${PEOPLE} people with 1 device each (${bytes.persoon} bytes)`,
      unit: 'ms',
      better: 'lower',
      samples: s.baseline,
    });
    ctx.record({
      id: 'rotatie.30-apparaten',
      label: `rotation record, ${PEOPLE} people with 3 devices each (${bytes.apparaat} bytes)`,
      unit: 'ms',
      better: 'lower',
      samples: s.apparaten,
    });
    const r = ctx.compare('rotatie.30-apparaten', 'rotatie.baseline.10-apparaten');
    ctx.goal({
      id: 'rotatie-30',
      text: 'A rotation with 30 devices stays interactive (< 3× the 10-device rotation, well under a second)',
      measured: `${r ? r.median.toFixed(2) : '?'}× the 10-device rotation; +${bytes.apparaat - bytes.persoon} bytes`,
      status: r !== undefined && r.median < 3 ? 'met' : 'missed',
      ...(r !== undefined && r.median < 3
        ? {}
        : { why: 'Each box is one X25519 agreement plus an AEAD seal; the cost grows with the number of devices.' }),
    });
  },
};
