// Renders docs/PROCESSES.md from the process definitions, so the documentation and the
// definitions cannot drift: a test compares the committed file with this output.
import { ROLES, type Role } from '../model/role.js';
import type { AccessEntry, ProcessDefinition, TransitionVereist } from '../workflow/definition.js';
import { BIJLAGE_SOORTEN } from '../model/hulpvraag.js';
import type { EffectTemplate } from '../workflow/effects.js';
import { describeSelector } from '../workflow/selector.js';

const label = (r: Role): string => ROLES[r].label;
const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const roles = (rs: readonly Role[]): string => rs.map(label).join(', ');
const bron = (b: string): string => (b === 'besluit' ? '**besluit**' : `seed ${b}`);

const RIGHTS_NL = { read: 'lezen', write: 'schrijven' } as const;

/** One line per party: "Loket: hulpvraag (lezen+schrijven), leerling/formulieren/lvs (lezen)". */
function access(entries: readonly AccessEntry[]): string {
  const byParty = new Map<string, string[]>();
  for (const e of entries) {
    const who = describeSelector(e.to, label);
    const parts = byParty.get(who) ?? [];
    parts.push(`${e.scopes.join('/')} (${e.rights.map((r) => RIGHTS_NL[r]).join('+')})`);
    byParty.set(who, parts);
  }
  return [...byParty].map(([who, parts]) => `${who}: ${parts.join(', ')}`).join('; ');
}

const effect = (t: EffectTemplate): string => {
  switch (t.kind) {
    case 'notify':
      return `bericht aan ${describeSelector(t.to, label)}`;
    case 'copy-to-ouders':
      return `afschrift ${t.document} aan ouders`;
    case 'close-overlegronden':
      return 'overlegronden sluiten';
    case 'grant':
      return `toegang ${t.scopes.join('/')} voor ${describeSelector(t.to, label)}`;
    case 'revoke':
      return `toegang ${t.scopes.join('/')} intrekken voor ${describeSelector(t.from, label)}`;
  }
};

/** What the client checks before the move (core/workflow/vereisten.ts). */
const vereistText = (v: TransitionVereist): string => {
  const delen = [
    ...(v.ondertekendFormulier ? ['het formulier, digitaal ondertekend door het bevoegd gezag en daarna niet gewijzigd'] : []),
    ...v.bijlagen.map((b) => `bijlage "${BIJLAGE_SOORTEN[b]}"`),
  ];
  return delen.length === 0 ? '' : `**Vereist** (anders weigert Kindkluis en zegt wat ontbreekt): ${delen.join(', ')}.`;
};

function mermaid(def: ProcessDefinition): string[] {
  const id = new Map(def.statuses.map((s, i) => [s.status, `s${i}`]));
  const lines = ['```mermaid', 'stateDiagram-v2'];
  for (const s of def.statuses) lines.push(`  ${id.get(s.status)} : ${s.status}`);
  for (const st of new Set(def.starts.map((s) => s.status))) lines.push(`  [*] --> ${id.get(st)}`);
  const edges = new Set<string>();
  for (const t of def.transitions) for (const f of t.from) edges.add(`  ${id.get(f)} --> ${id.get(t.to)}`);
  for (const a of def.automatic) for (const f of a.in) edges.add(`  ${id.get(f)} --> ${id.get(a.to)} : bijlage`);
  for (const l of edges) lines.push(l);
  if (def.withdrawal !== null) {
    const w = def.withdrawal;
    for (const s of def.statuses) {
      if (!s.end && !w.exceptFrom.includes(s.status) && s.status !== w.to)
        lines.push(`  ${id.get(s.status)} --> ${id.get(w.to)} : intrekken`);
    }
  }
  for (const s of def.statuses) if (s.end) lines.push(`  ${id.get(s.status)} --> [*]`);
  lines.push('```');
  return lines;
}

function renderProcess(def: ProcessDefinition): string[] {
  const out: string[] = [];
  out.push(`## ${def.naam} (\`${def.id}\`)`, '', `Bron: ${def.bron.map((b) => `seed ${b}`).join(', ')}. ${def.omschrijving}`, '');
  out.push('| titel | beginstatus | formulier | aanmaken door |', '|---|---|---|---|');
  for (const s of def.starts) out.push(`| ${cell(s.titel)} | ${cell(s.status)} | ${cell(s.formulier ?? '—')} | ${cell(roles(s.by))} |`);
  out.push(
    '',
    '### Statussen',
    '',
    '| status | eind | bron | betekenis | omschrijving verplicht | zichtbaar voor (scopes) | effecten bij binnenkomst |',
    '|---|---|---|---|---|---|---|',
  );
  for (const s of def.statuses) {
    const fx = [
      ...s.onEnter.map(effect),
      ...(s.recordsTlv === true ? ['TLV-gegevens vastleggen'] : []),
      ...(s.end ? ['overlegronden sluiten'] : []),
    ];
    out.push(
      `| ${cell(s.status)} | ${s.end ? 'ja' : 'nee'} | ${bron(s.bron)} | ${cell(s.betekenis)} | ${cell(s.omschrijvingVerplicht ?? '—')} | ${cell(access(s.access) || '—')} | ${cell(fx.join('; ') || '—')} |`,
    );
  }
  out.push('', '### Overgangen', '', '| van | naar | door | bron | effecten | toelichting |', '|---|---|---|---|---|---|');
  for (const t of def.transitions) {
    const toelichting = [t.notes ?? '', t.vereist ? vereistText(t.vereist) : ''].filter((x) => x !== '').join(' ');
    out.push(
      `| ${cell(t.from.join(', '))} | ${cell(t.to)} | ${cell(roles(t.by))} | ${bron(t.bron)} | ${cell(t.effects.map(effect).join('; ') || '—')} | ${cell(toelichting)} |`,
    );
  }
  if (def.automatic.length > 0) {
    out.push(
      '',
      '### Automatische overgangen',
      '',
      '| bij | in status | naar | alleen door | bron | toelichting |',
      '|---|---|---|---|---|---|',
    );
    for (const a of def.automatic)
      out.push(
        `| bijlage toegevoegd | ${cell(a.in.join(', '))} | ${cell(a.to)} | ${cell(roles(a.by))} | ${bron(a.bron)} | ${cell(a.notes ?? '')} |`,
      );
  }
  out.push('', '### Intrekken / afsluiten', '');
  if (def.withdrawal === null) out.push('Niet van toepassing.');
  else {
    const w = def.withdrawal;
    const except = w.exceptFrom.length > 0 ? `, behalve vanuit ${w.exceptFrom.join(', ')}` : '';
    out.push(
      `Naar **${w.to}** door ${roles(w.by)}, vanuit elke status die geen eindstatus is${except} (${bron(w.bron)}). ${w.notes ?? ''}`.trimEnd(),
    );
  }
  out.push(
    '',
    `Bericht bij elke statuswijziging aan: ${def.notifyOnEveryChange.map((s) => describeSelector(s, label)).join(', ')} (niet aan wie de wijziging zelf maakte).`,
  );
  const wacht = def.toestemmingOuders ?? [];
  if (wacht.length > 0) {
    out.push(
      '',
      `Wacht op de digitale toestemming van een gekoppelde ouder: ${wacht.map((r) => r.replaceAll('-', ' ')).join(', ')}. Zonder die toestemming geen toegang en geen berichten, en geen status die met hen deelt; intrekken beëindigt het delen.`,
    );
  }
  out.push('', '### Besluiten waar de seeds iets open laten', '');
  for (const n of def.notes) out.push(`- ${n}`);
  out.push('', ...mermaid(def), '');
  return out;
}

export function renderProcessesDoc(defs: readonly ProcessDefinition[]): string {
  const out: string[] = [
    '# Processen',
    '',
    '<!-- GEGENEREERD door `npx tsx scripts/gen-processes-doc.ts` uit core/processes/. Niet met de hand bewerken: test/processes/processes-doc.test.ts faalt als dit bestand afwijkt van de definities. -->',
    '',
    'Elke hulpvraag volgt één proces; de **titel** kiest het proces, de beginstatus en het formulier. Statusnamen staan precies zoals in de seed-handleidingen; waar de kolom *bron* **besluit** zegt, lieten de seeds iets open en is de keuze van ons, met de reden bij het proces.',
    '',
    '## Regels van de engine (voor alle processen)',
    '',
    '- **Status is afgeleid.** De status is de uitkomst van het vouwen van de append-only lijst statusgebeurtenissen (`core/workflow/fold.ts`). Gebeurtenissen worden eerst in één vaste volgorde gezet: wat de relay al heeft bevestigd op volgnummer van de relay, daarna wat nog onderweg is op tijdstip en id. Zo berekenen twee clients met dezelfde gebeurtenissen altijd dezelfde status, in welke volgorde ze die ook ontvingen, en kan niemand met een teruggezette klok een wijziging vóór een besluit schuiven.',
    '- **Ongeldige gebeurtenissen** (verkeerde rol, verouderde `from`, onbekende status, ontbrekende omschrijving of TLV-gegevens, dubbel id) blijven in de log maar worden overgeslagen en als *afgewezen* getoond, met code en Nederlandse uitleg.',
    '- **Verouderde keuze.** Elke statuswijziging noemt de status die de gebruiker zag (`from`); wijkt die af van de huidige status (iemand anders was eerder), dan wordt de wijziging afgewezen in plaats van stil over een andere heen te gaan.',
    '- **Eindstatus is eind.** Vanuit een eindstatus kan niets meer, ook geen automatische overgang; bij elke eindstatus worden de overlegronden gesloten.',
    '- **Intrekken** kan vanuit elke status die geen eindstatus is (ook vóór indienen, zodat een verlaten concept niet eeuwig open blijft).',
    '- **Rollen tellen per hulpvraag**: een schoolrol alleen bij de eigen school, de voorschoolse voorziening of school van voorkeur alleen als ze aan de hulpvraag gekoppeld is, een regierolhouder of behandelaar alleen als hij coördinator of behandelaar van de hulpvraag is, SWV-rollen binnen het eigen samenwerkingsverband.',
    '- **Zichtbaarheid per status** is data: na elke statuswijziging brengt een beheerder-apparaat de toegangslijst van díe hulpvraag in lijn met wat de nieuwe status geeft, en periodiek die van alle hulpvragen, met één functie (`planWorkflowAccess`); intrekken roteert de sleutels. Wie midden in een status wordt gekoppeld (coördinator, behandelaar via een aanpak, betrokken organisatie, ouder) krijgt meteen wat zijn rol in die status heeft; genoemde personen (coördinator, ook een vervangen coördinator, en behandelaar) verliezen het weer zodra de status het niet meer geeft.',
    '- **Afschrift aan ouders** (advies, besluit): de ouders die de school aan het dossier van hun kind heeft gekoppeld krijgen een melding en lezen het advies of besluit in de hulpvraag (status, TLV-gegevens, bijlagen); niet-gekoppelde ouders krijgen het afschrift van de school, buiten Kindkluis.',
    '- **Berichten** bevatten geen inhoud: alleen dat er iets veranderde. De aanvrager krijgt bericht van elke wijziging die een ander maakt (002).',
    '- **Tijd**: bij het vouwen is het tijdstip van de gebeurtenis zelf "nu", zodat opnieuw vouwen nooit van de klok van vandaag afhangt; live wordt een tijdstip meer dan 5 minuten in de toekomst geweigerd.',
    '- **Personeelswisseling** (002): `reassignAanvrager` zet aanvrager, contactpersoon en e-mail van alle open hulpvragen van een school in één keer over; afgeronde hulpvragen blijven ongemoeid.',
    '',
    '## Overzicht',
    '',
    '| proces | titels | statussen | eindstatussen |',
    '|---|---|---|---|',
    ...defs.map(
      (d) =>
        `| ${cell(d.naam)} | ${cell(d.starts.map((s) => s.titel).join(', '))} | ${d.statuses.length} | ${cell(
          d.statuses
            .filter((s) => s.end)
            .map((s) => s.status)
            .join(', '),
        )} |`,
    ),
    '',
  ];
  for (const def of defs) out.push(...renderProcess(def));
  return `${out.join('\n').trimEnd()}\n`;
}
