// The working area of the dossier page and the side panel: header with
// navigation, then the hulpvragen list, a new dossier, or a dossier, by URL hash.
import type { CurrentUser } from '../../../core/client/port.js';
import { isOuderOnly } from '../../../core/model/role.js';
import { Kop } from '../app.js';
import { go, useHashRoute, useLoad } from '../context.js';
import { t } from '../i18n.js';
import { DossierScherm } from './dossier-scherm.js';
import { HulpvragenLijst } from './hulpvragen-lijst.js';
import { NieuwDossierScherm } from './nieuw-scherm.js';

export function Werkruimte(props: { readonly me: CurrentUser; readonly compact: boolean }) {
  const route = useHashRoute();
  const [pagina, dossierId, tab, hulpvraagId] = route;
  // Ouders read their own child's dossier; filing hulpvragen is the school's (000) [R46].
  const ouder = isOuderOnly(props.me.roles);
  return (
    <>
      <Kop me={props.me}>
        <a href="#/lijst">{t('Hulpvragen')}</a>
        {!ouder ? <a href="#/nieuw">{t('Nieuwe hulpvraag')}</a> : null}
        {!props.compact ? (
          <a href="options.html#/" target="_blank">
            {t('Instellingen')}
          </a>
        ) : null}
      </Kop>
      <main class="kk-inhoud">
        {pagina === 'dossier' && dossierId ? (
          <DossierScherm dossierId={dossierId} tab={tab ?? 'hulpvraag'} hulpvraagId={hulpvraagId} me={props.me} />
        ) : pagina === 'nieuw' && !ouder ? (
          <NieuwDossierScherm />
        ) : (
          <Lijst compact={props.compact} magNieuw={!ouder} />
        )}
      </main>
    </>
  );
}

function Lijst(props: { readonly compact: boolean; readonly magNieuw: boolean }) {
  const { data } = useLoad((b) => b.hulpvragenLijst(), []);
  if (!data) return <p role="status">Hulpvragen laden…</p>;
  if (!data.ok) {
    return (
      <div class="kk-fout" role="alert">
        {data.error.message}
      </div>
    );
  }
  return (
    <HulpvragenLijst
      rijen={data.value}
      compact={props.compact}
      magNieuw={props.magNieuw}
      onOpen={(r) => go('dossier', r.dossierId, 'hulpvraag', r.hulpvraagId)}
    />
  );
}
