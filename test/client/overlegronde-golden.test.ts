// Golden vectors for the overlegronde's signed items (STYLE: our own formats get
// fixed bytes): a message without `antwoordOp` signs exactly as before reacties
// existed (signature computed with the code of main before issue 21), so older
// messages keep verifying; a reactie and an afgehandeld mark have fixed bytes too [R29][R130][R131].
import { describe, expect, it } from 'vitest';
import { signAfhandeling, signMessage } from '../../core/client/signed-message.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import type { OverlegrondeId } from '../../core/model/ids.js';

const device = { secretKey: new Uint8Array(32).map((_, i) => i + 1), chainBytes: new Uint8Array(0) };
const or = 'or-1' as OverlegrondeId;
const bericht = {
  id: 'm-1',
  auteur: 'u-zoe',
  auteurNaam: 'Zoë Jansen',
  titel: 'Planning',
  tekst: 'Dinsdag, @Ilse Bakker?',
  mentions: ['u-ilse'],
  geplaatstOp: '2026-03-02T09:00:00.000Z',
  ondertekening: { voornaam: 'Zoë', achternaam: 'Jansen', functie: 'coördinator', organisatie: 'SWV Noord' },
};
const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array(0)).toString('hex');

describe('signed overlegronde items: fixed bytes', () => {
  it('a message that opens an onderwerp signs exactly as a message did before reacties existed', async () => {
    const s = await signMessage(nobleProvider, or, bericht, device, new Map());
    expect(hex(s.sig?.s)).toBe(
      'd5ed078db6ca37b70164e0a2a75f821288e53678b73e27d4283c68d90eed3a1115315f7e5518c9df60c55401aa12fe5419e29113682b314b8a73f6e3e00d0704',
    );
  });

  it('a reactie signs its onderwerp with it', async () => {
    const s = await signMessage(nobleProvider, or, { ...bericht, titel: '', antwoordOp: 'm-0' }, device, new Map());
    expect(hex(s.sig?.s)).toBe(
      '17c831d8f59105e7339786fdeeb91d9c2cc4e5e69a6689e694c445894dccc05414d0dad8938f4347327b80fb74a1265cb3e5dd552d9af650c84cface876eb004',
    );
  });

  it('an afgehandeld mark', async () => {
    const s = await signAfhandeling(
      nobleProvider,
      or,
      { id: 'a-1', onderwerp: 'm-1', afgehandeld: true, auteur: 'u-zoe', op: '2026-03-03T10:00:00.000Z' },
      device,
      new Map(),
    );
    expect(hex(s.sig?.s)).toBe(
      'd3f008381fa1803c2a20db522624ff8e5853a163532eee5d420c4f85117ad0ab843c5f75c4af26ba8fd942b734aacca4aeda9e86278fb541220bdd4bc3040002',
    );
  });
});
