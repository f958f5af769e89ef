// The PrO/LWOO indication criteria as data, validated with zod, so an SWV that
// opts out of the national LWOO criteria can change the numbers without code.
// Defaults: Besluit RVC's en regionaal zorgbudget (BWBR0015137), art. 4.
import { z } from 'zod';
import { PRO_DOMAINS } from './domains.js';

const domainSchema = z.enum(PRO_DOMAINS);
const iqBandSchema = z
  .object({
    min: z.number().int().min(0),
    max: z.number().int().min(0),
    /** Band b of LWOO: only with sociaal-emotionele problematiek (art. 4 lid 4 sub b). */
    requiresSociaalEmotioneel: z.boolean(),
  })
  .refine((b) => b.min <= b.max, { message: 'IQ-band: min moet kleiner of gelijk zijn aan max' });

const laRuleSchema = z.object({
  /** At least this many domains must fall in the LA band … */
  minDomains: z.number().int().min(1).max(4),
  /** … of which at least this many from keyDomains (begrijpend lezen / inzichtelijk rekenen). */
  minKeyDomains: z.number().int().min(0).max(4),
  keyDomains: z.array(domainSchema).min(1),
});

export const proCriteriaSchema = z.object({
  name: z.string().min(1),
  source: z.string(),
  dl: z.object({
    /** DL is capped here for the leerachterstand (eind groep 8 = 60). */
    capForLeerachterstand: z.number().positive(),
  }),
  pro: laRuleSchema.extend({
    iq: z.array(iqBandSchema),
    /** LA ≥ this value counts for PrO. */
    minLa: z.number().min(0).max(1),
  }),
  lwoo: laRuleSchema.extend({
    /** Empty: this SWV uses no IQ criterion for LWOO (opting out). */
    iq: z.array(iqBandSchema),
    minLa: z.number().min(0).max(1),
    /** Upper bound, exclusive ("van 0,25 tot 0,5"). */
    maxLaExclusive: z.number().min(0).max(1),
  }),
  /**
   * Art. 4 lid 5: meeting PrO on IQ or LA and LWOO on the rest gives a
   * grensvlak case, decided on the school's motivering. False: the full match wins.
   */
  grensvlak: z.boolean(),
  input: z.object({
    iqMin: z.number(),
    iqMax: z.number(),
    /** An IQ test older than this (months) at the peildatum gives a warning. */
    iqMaxAgeMonths: z.number().int().positive(),
    /** A DLE more than this many months above the (capped) DL is taken to be a typing error. */
    maxDleAboveDl: z.number().min(0),
  }),
});
export type ProCriteria = z.infer<typeof proCriteriaSchema>;

export const NATIONAL_PRO_CRITERIA: ProCriteria = proCriteriaSchema.parse({
  name: 'Landelijke criteria PrO/LWOO',
  source: "Besluit RVC's en regionaal zorgbudget (BWBR0015137), art. 4",
  dl: { capForLeerachterstand: 60 },
  pro: {
    iq: [{ min: 55, max: 80, requiresSociaalEmotioneel: false }],
    minLa: 0.5,
    minDomains: 2,
    minKeyDomains: 1,
    keyDomains: ['begrijpend-lezen', 'inzichtelijk-rekenen'],
  },
  lwoo: {
    iq: [
      { min: 75, max: 90, requiresSociaalEmotioneel: false },
      { min: 91, max: 120, requiresSociaalEmotioneel: true },
    ],
    minLa: 0.25,
    maxLaExclusive: 0.5,
    minDomains: 2,
    minKeyDomains: 1,
    keyDomains: ['begrijpend-lezen', 'inzichtelijk-rekenen'],
  },
  grensvlak: true,
  input: { iqMin: 40, iqMax: 160, iqMaxAgeMonths: 24, maxDleAboveDl: 20 },
});
