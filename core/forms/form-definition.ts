// Form definitions as data (002): fields with a type, required (yellow in the
// UI), a help text (the "?"), only-if-applicable (the "^"), prefill from the
// leerling/school data, and the signature slot of the bevoegd gezag.
import { z } from 'zod';

export const FIELD_TYPES = ['tekst', 'lange-tekst', 'datum', 'getal', 'ja-nee', 'keuze', 'meerkeuze', 'email', 'telefoon'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Where a field's initial value comes from (see prefill.ts). */
export const PREFILL_SOURCES = [
  'leerling.naam',
  'leerling.geboortedatum',
  'leerling.bsn',
  'leerling.adres',
  'leerling.gezagssituatie',
  'leerling.ouders',
  'school.naam',
  'school.brin',
  'schoolgegevens.leerjaar',
  'schoolgegevens.doublures',
  'schoolgegevens.contactpersoon',
  'schoolgegevens.email',
  'aanvrager.naam',
  'aanvrager.functie',
  'hulpvraag.titel',
  'hulpvraag.datum',
  'pro.advies',
  'pro.iq',
  'pro.toetsdatum',
  'pro.dl',
] as const;
export type PrefillSource = (typeof PREFILL_SOURCES)[number];

const keySchema = z.string().regex(/^[a-z][a-z0-9-]*$/, 'veldsleutel: kleine letters, cijfers en streepjes');

export const fieldSchema = z
  .object({
    key: keySchema,
    label: z.string().min(1),
    type: z.enum(FIELD_TYPES),
    /** Yellow: must be filled before the bevoegd gezag can sign. */
    required: z.boolean().default(false),
    /** The "?" text. */
    help: z.string().optional(),
    /** The "^": answer only if it applies; never required. */
    onlyIfApplicable: z.boolean().default(false),
    /** Required only when another field has (or has not) a given value. */
    requiredWhen: z
      .object({
        field: keySchema,
        equals: z.union([z.string(), z.boolean()]).optional(),
        notEquals: z.union([z.string(), z.boolean()]).optional(),
      })
      .optional(),
    options: z.array(z.string().min(1)).optional(),
    prefill: z.enum(PREFILL_SOURCES).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .refine((f) => !(f.required && f.onlyIfApplicable), {
    message: 'een veld is niet tegelijk verplicht (geel) en alleen-indien-van-toepassing (^)',
  })
  .refine((f) => (f.type === 'keuze' || f.type === 'meerkeuze') === (f.options !== undefined && f.options.length > 0), {
    message: 'keuzevelden hebben opties, andere velden niet',
  });
export type FormField = z.infer<typeof fieldSchema>;

export const SIGNER_ROLES = ['bevoegd-gezag', 'ouders'] as const;
export type SignerRole = (typeof SIGNER_ROLES)[number];

export const formDefinitionSchema = z
  .object({
    id: keySchema,
    naam: z.string().min(1),
    versie: z.number().int().positive(),
    /** Hulpvraag titels that attach this form automatically (002). */
    hulpvraagTitels: z.array(z.string()).default([]),
    toelichting: z.string().optional(),
    secties: z.array(z.object({ titel: z.string().min(1), velden: z.array(fieldSchema).min(1) })).min(1),
    /** The signature slot ("Ondertekening door"); signing itself is core/access. */
    ondertekening: z.object({ door: z.enum(SIGNER_ROLES), label: z.string().min(1), toelichting: z.string().optional() }).nullable(),
    /** Attachments the school adds to the hulpvraag (checklist on the printed form). */
    bijlagenChecklist: z.array(z.string()).default([]),
  })
  .superRefine((d, ctx) => {
    const keys = d.secties.flatMap((s) => s.velden.map((f) => f.key));
    const seen = new Set<string>();
    for (const k of keys) {
      if (seen.has(k)) ctx.addIssue({ code: 'custom', message: `veldsleutel "${k}" komt twee keer voor` });
      seen.add(k);
    }
    for (const f of d.secties.flatMap((s) => s.velden))
      if (f.requiredWhen && !seen.has(f.requiredWhen.field))
        ctx.addIssue({ code: 'custom', message: `veld "${f.key}" verwijst naar onbekend veld "${f.requiredWhen.field}"` });
  });
export type FormDefinition = z.infer<typeof formDefinitionSchema>;
export type FormDefinitionInput = z.input<typeof formDefinitionSchema>;

/** For definitions in code: a bug if invalid. */
export function defineForm(raw: FormDefinitionInput): FormDefinition {
  return formDefinitionSchema.parse(raw);
}

export const allFields = (d: FormDefinition): FormField[] => d.secties.flatMap((s) => s.velden);
