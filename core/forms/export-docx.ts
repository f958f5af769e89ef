// Export a filled-in form to a real Word document (002: the "word-knop"), to
// print for the ouders: every section and answer, the bevoegd gezag's
// signature, a "voor gezien" block for the ouders and the bijlagen checklist.
// Returns bytes (no Node Buffer), so it runs in the extension as well.
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { FormValue, Ondertekening } from '../model/formulier.js';
import { dutchCalendarDate, formatDutchDate, parseIsoDate } from '../pro/calendar-date.js';
import type { FormDefinition, FormField } from './form-definition.js';
import { isEmptyValue, isRequired, type FormValues } from './validate.js';

export interface FormExportInput {
  readonly definition: FormDefinition;
  readonly waarden: FormValues;
  readonly ondertekening: Ondertekening | null;
  /** Display name of the signer (from their certificate profile). */
  readonly ondertekenaarNaam?: string;
  readonly hulpvraagTitel?: string;
  readonly exportedAt: Date;
}

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export { DOCX_MIME };

/** A calendar date as is; a moment (with time) as the Dutch calendar day it fell on. */
function dateNl(iso: string): string {
  if (iso.length > 10 && !Number.isNaN(Date.parse(iso))) return formatDutchDate(dutchCalendarDate(new Date(iso)));
  const d = parseIsoDate(iso);
  return d ? formatDutchDate(d) : iso;
}

function display(field: FormField, v: FormValue | undefined): string {
  if (isEmptyValue(v)) return '';
  if (typeof v === 'boolean') return v ? 'Ja' : 'Nee';
  if (Array.isArray(v)) return v.join(', ');
  if (field.type === 'datum' && typeof v === 'string') return dateNl(v);
  if (typeof v === 'number') return String(v).replace('.', ',');
  return String(v);
}

/** Multi-line answers keep their line breaks. */
function runs(text: string, opts: { bold?: boolean; italics?: boolean } = {}): TextRun[] {
  return text.split('\n').map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : 0, ...opts }));
}

const cellBorder = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
const borders = { top: cellBorder, bottom: cellBorder, left: cellBorder, right: cellBorder };

function fieldRow(field: FormField, values: FormValues): TableRow {
  const text = display(field, values[field.key]);
  const missing = text === '' && isRequired(field, values);
  return new TableRow({
    cantSplit: true,
    children: [
      new TableCell({
        width: { size: 38, type: WidthType.PERCENTAGE },
        borders,
        children: [new Paragraph({ children: runs(field.label, { bold: true }) })],
      }),
      new TableCell({
        width: { size: 62, type: WidthType.PERCENTAGE },
        borders,
        children: [
          new Paragraph({ children: text === '' ? runs(missing ? 'niet ingevuld (verplicht)' : '—', { italics: true }) : runs(text) }),
        ],
      }),
    ],
  });
}

export async function exportFormToDocx(input: FormExportInput): Promise<Uint8Array> {
  const { definition: def, waarden } = input;
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(def.naam)] }),
    new Paragraph({
      children: [
        new TextRun({
          text: `${input.hulpvraagTitel ? `Hulpvraag: ${input.hulpvraagTitel} · ` : ''}Geëxporteerd op ${formatDutchDate(dutchCalendarDate(input.exportedAt))}`,
          italics: true,
          size: 18,
        }),
      ],
    }),
  ];
  for (const sectie of def.secties) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, spacing: { before: 240 }, children: [new TextRun(sectie.titel)] }));
    children.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: sectie.velden.map((f) => fieldRow(f, waarden)) }));
  }
  if (def.ondertekening) {
    children.push(
      new Paragraph({ heading: HeadingLevel.HEADING_1, spacing: { before: 240 }, children: [new TextRun(def.ondertekening.label)] }),
    );
    const o = input.ondertekening;
    children.push(
      new Paragraph({
        children: o
          ? [new TextRun(`Digitaal ondertekend door ${input.ondertekenaarNaam ?? 'het bevoegd gezag'}, ${o.functie}, op ${dateNl(o.op)}.`)]
          : [new TextRun({ text: 'Nog niet ondertekend door het bevoegd gezag.', italics: true })],
      }),
    );
  }
  if (def.ondertekening?.door !== 'ouders') {
    children.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        spacing: { before: 240 },
        children: [new TextRun('Voor gezien door ouder(s)/verzorger(s)')],
      }),
    );
    for (const line of ['Naam:', 'Datum:', 'Handtekening:'])
      children.push(new Paragraph({ spacing: { before: 200 }, children: [new TextRun(`${line} ______________________________`)] }));
  }
  if (def.bijlagenChecklist.length > 0) {
    children.push(
      new Paragraph({ heading: HeadingLevel.HEADING_1, spacing: { before: 240 }, children: [new TextRun('Checklist bijlagen')] }),
    );
    for (const b of def.bijlagenChecklist) children.push(new Paragraph({ children: [new TextRun(`☐ ${b}`)] }));
  }
  children.push(
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      spacing: { before: 400 },
      children: [new TextRun({ text: `${def.naam}, versie ${def.versie}`, size: 16, color: '666666' })],
    }),
  );

  const doc = new Document({
    creator: 'Kindkluis',
    title: def.naam,
    description: def.naam,
    styles: { default: { document: { run: { font: 'Calibri', size: 22 } } } },
    sections: [{ children }],
  });
  return new Uint8Array(await Packer.toArrayBuffer(doc));
}
