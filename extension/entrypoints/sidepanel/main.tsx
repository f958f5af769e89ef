// Side panel: the same dossier views, compact, usable beside another website.
import { mountPage } from '../../ui/app.js';
import { createBackend } from '../../ui/create-backend.js';
import { Werkruimte } from '../../ui/screens/werkruimte.js';

void mountPage('sidepanel', createBackend, ({ me }) => (me ? <Werkruimte me={me} compact /> : <main />));
