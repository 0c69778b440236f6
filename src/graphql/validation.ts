import { GraphQLError } from 'graphql';
import { excerpt, quote } from './text';

/**
 * Input validation for mutations: every problem is collected against its input field, then reported
 * at once as one BAD_USER_INPUT error whose `extensions.fields` lists `{ field, message }`, so a form
 * can show each message beside its field. Nothing is written before validation passes.
 */

export interface FieldProblem {
  /** Path of the input field, such as `input.parties[2].role`. */
  field: string;
  message: string;
}

export class Validator {
  readonly problems: FieldProblem[] = [];

  add(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  /** A required text: present and not blank. */
  required(field: string, value: string | null | undefined, what = 'a value'): boolean {
    if (value == null || !value.trim()) {
      this.add(field, `is required: give ${what}`);
      return false;
    }
    return true;
  }

  /** Text of bounded length. */
  maxLength(field: string, value: string | null | undefined, max: number): void {
    if (value != null && value.length > max) this.add(field, `is too long: at most ${max} characters, got ${value.length}`);
  }

  slug(field: string, value: string | null | undefined): void {
    if (value == null) return;
    if (!SLUG.test(value)) {
      this.add(field, `must be lower-case words, digits and single hyphens, such as "alibaba-pictures"; got ${quote(value)}`);
    }
  }

  currency(field: string, value: string | null | undefined): void {
    if (value == null) return;
    if (!ISO_4217.has(value)) this.add(field, `must be an ISO 4217 currency code such as "USD" or "CNY"; got ${quote(value)}`);
  }

  nonNegative(field: string, value: string | null | undefined): void {
    if (value != null && value.trim().startsWith('-')) this.add(field, `must not be negative; got ${excerpt(value)}`);
  }

  percent(field: string, value: string | null | undefined): void {
    if (value == null) return;
    const n = Number(value);
    if (!(n >= 0 && n <= 100)) this.add(field, `must be between 0 and 100; got ${excerpt(value)}`);
  }

  country(field: string, value: string | null | undefined): void {
    if (value != null && !/^[A-Z]{2}$/.test(value)) this.add(field, `must be an ISO 3166-1 alpha-2 country code such as "CN" or "US"; got ${quote(value)}`);
  }

  year(field: string, value: number | null | undefined): void {
    if (value != null && (value < 1800 || value > 2200)) this.add(field, `must be a year between 1800 and 2200; got ${value}`);
  }

  url(field: string, value: string | null | undefined): void {
    if (value == null) return;
    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    } catch {
      this.add(field, `must be an http(s) URL; got ${quote(value)}`);
    }
  }

  /** Throws the collected problems, if any, as one BAD_USER_INPUT error. */
  throwIfInvalid(): void {
    if (this.problems.length) throw invalidInput(this.problems);
  }
}

/** The error for a list of field problems. */
export function invalidInput(problems: FieldProblem[]): GraphQLError {
  const summary = problems.map((p) => `${p.field} ${p.message}`).join('; ');
  return new GraphQLError(`Invalid input: ${summary}.`, {
    extensions: { code: 'BAD_USER_INPUT', fields: problems },
  });
}

export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The slug of a name: lower-case kebab-case, accents and punctuation dropped ("Amélie & Co." -> "amelie-and-co"). */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Active ISO 4217 currency codes. */
export const ISO_4217 = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF ' +
    'CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD ' +
    'HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA ' +
    'MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB ' +
    'RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN ' +
    'UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA YER ZAR ZMW ZWG ZWL'
  ).split(' '),
);
