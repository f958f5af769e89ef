// Options page: onboarding (new SWV or join), unlock, settings, Beheer and Privacy.
import { Kop, mountPage, Ontgrendel } from '../../ui/app.js';
import { createBackend } from '../../ui/create-backend.js';
import { useHashRoute, useLoad } from '../../ui/context.js';
import type { CurrentUser } from '../../../core/client/port.js';
import { t } from '../../ui/i18n.js';
import { Beheer } from '../../ui/screens/beheer.js';
import { Instellingen } from '../../ui/screens/instellingen.js';
import { Onboarding } from '../../ui/screens/onboarding.js';
import { Personeelswisseling } from '../../ui/screens/personeelswisseling.js';
import { Privacy } from '../../ui/screens/privacy.js';

function Opties(props: { readonly me: CurrentUser | null }) {
  const route = useHashRoute();
  const { data: sessie } = useLoad((b) => b.session(), []);
  if (route[0] === 'welkom' || sessie?.kind === 'nieuw') {
    return (
      <main class="kk-inhoud">
        <Onboarding />
      </main>
    );
  }
  if (!props.me) {
    return <main class="kk-inhoud">{sessie ? <Ontgrendel /> : null}</main>;
  }
  // Beheer needs the SWV's root key, which stays on the beheerder's first device (a linked one lacks it).
  const beheerder = props.me.roles.includes('swv-beheerder') && props.me.basissleutel;
  // Those who hold dossiers can carry out a staff change in them (the beheerder has it under Beheer).
  const wisselaar =
    !beheerder &&
    props.me.roles.some(
      (r) => r === 'intern-begeleider' || r === 'ondersteuningscoordinator' || r === 'swv-coordinator' || r === 'swv-loket',
    );
  // Everyone may check this browser's storage; the FG and beheerder use the same view for their oversight.
  const fg = true;
  return (
    <>
      <Kop me={props.me}>
        <a href="dossier.html#/lijst">{t('Hulpvragen')}</a>
        <a href="#/instellingen">{t('Instellingen')}</a>
        {beheerder ? <a href="#/beheer">{t('Beheer')}</a> : null}
        {wisselaar ? <a href="#/wisseling">{t('Wisseling van personeel')}</a> : null}
        {fg ? <a href="#/privacy">{t('Privacy')}</a> : null}
      </Kop>
      <main class="kk-inhoud">
        {route[0] === 'beheer' && beheerder ? (
          <Beheer />
        ) : route[0] === 'wisseling' && wisselaar ? (
          <Personeelswisseling />
        ) : route[0] === 'privacy' && fg ? (
          <Privacy />
        ) : (
          <Instellingen />
        )}
      </main>
    </>
  );
}

void mountPage('options', createBackend, ({ me }) => <Opties me={me} />);
