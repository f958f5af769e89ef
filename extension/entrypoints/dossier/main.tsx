// Dossier page (full tab): the hulpvragen list, new dossiers and the dossier tabs.
import { mountPage } from '../../ui/app.js';
import { createBackend } from '../../ui/create-backend.js';
import { Werkruimte } from '../../ui/screens/werkruimte.js';

void mountPage('dossier', createBackend, ({ me }) => (me ? <Werkruimte me={me} compact={false} /> : <main />));
