// The order-list answer of `GET /orders` as a zod 4 schema, for the benchmarks (budgets.mjs):
// `zodOrderList.parse(JSON.parse(text)).orders` checks and normalizes the orders as the
// package's `parse('order-list', text).items` does, so that "JSON.parse + zod" and our parser
// are timed doing the same work.
//
// It mirrors core/src/upgates/order/fields.rs table by table, field by field, each field read
// by the schema of its rule (the helpers below, one per rule of core/src/lenient.rs,
// decimal.rs, date.rs and open_enum.rs), and each absent field filled in as the tables say.
// Only zod and plain JavaScript: what a careful user would write by hand.
//
// What no schema can mirror after JSON.parse, which has already rounded or merged the text:
// a JSON number of 16 or more significant digits (the package's reader, like serde_json
// without float_roundtrip, may land one unit in the last place away from JSON.parse), an
// integer above 2^53 where text is expected (the package keeps its digits), `1.0` as a
// boolean (a float to the package, `1` here), a key given twice (refused by the package, the
// last kept here) and a record sent as a list of values (read by position by the package,
// refused here).
import { z } from 'zod';

// ---- small tools ----

const orNull = (v) => v ?? null;

/** Refuses the value from inside a transform. */
function refuse(ctx, input, message) {
  ctx.issues.push({ code: 'custom', input, message });
  return z.NEVER;
}

// Rust's `str::trim` (Unicode White_Space, which differs from `String.prototype.trim` in
// U+0085 and U+FEFF); most values have nothing to trim, and skip the regular expression.
const SPACE = '[\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+';
const SPACES = new RegExp(`^${SPACE}|${SPACE}$`, 'g');
function trim(s) {
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(s.length - 1);
  return a > 32 && a < 127 && b > 32 && b < 127 ? s : s.replace(SPACES, '');
}

/** A JSON number as text, as Rust's `to_string` writes it: shortest digits, never `1e21`. */
function numberText(n) {
  if (Object.is(n, -0)) return '-0';
  const s = String(n);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const neg = s[0] === '-';
  const mantissa = s.slice(neg ? 1 : 0, e);
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const point = (dot < 0 ? mantissa.length : dot) + Number(s.slice(e + 1));
  const body =
    point <= 0 ? `0.${'0'.repeat(-point)}${digits}`
    : point >= digits.length ? digits + '0'.repeat(point - digits.length)
    : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return neg ? `-${body}` : body;
}

// ---- whole numbers (lenient.rs `lenient_int!`) ----

const U8_MAX = 255;
const U32_MAX = 4294967295;
// u64::MAX as a JavaScript number: it rounds up to 2^64, which JSON.parse also makes of
// 18446744073709551616 (refused by Rust): after JSON.parse the two cannot be told apart.
const U64_MAX = 2 ** 64;
const U64_MAX_TEXT = 18446744073709551615n;

/** An unsigned whole number up to `max`: a JSON number that is whole, or its digits as text. */
function whole(max, maxText = BigInt(max)) {
  return z
    .union([
      z.number().transform((n, ctx) =>
        Number.isInteger(n) && n >= 0 && n <= max && !Object.is(n, -0)
          ? n
          : refuse(ctx, n, 'expected a whole number (like 42 or "42")'),
      ),
      z.string().transform((s, ctx) => {
        const t = trim(s);
        if (t === '') return null;
        // `str::parse::<u64>`: an optional `+`, then digits, at most `max` (a u64's through
        // BigInt, beyond a JavaScript number's exact integers).
        const tooBig = max < 2 ** 53 ? Number(t) > max : t.length > 15 && BigInt(t) > maxText;
        if (!/^\+?\d+$/.test(t) || tooBig) {
          return refuse(ctx, s, 'expected a whole number (like 42 or "42")');
        }
        return Number(t);
      }),
      z.null(),
    ])
    .optional()
    .transform(orNull);
}

/** `opt::<u64>`: an id. */
const optU64 = whole(U64_MAX, U64_MAX_TEXT);
const optU32 = whole(U32_MAX);
const optU8 = whole(U8_MAX);

// ---- booleans (lenient.rs `impl LenientScalar for bool`) ----

const bool = z.union([
  z.boolean(),
  z.number().transform((n, ctx) =>
    n === 1 ? true : n === 0 && !Object.is(n, -0) ? false : refuse(ctx, n, 'expected a boolean'),
  ),
  z.string().transform((s, ctx) => {
    const t = trim(s);
    if (t === '') return null;
    if (t === '1') return true;
    if (t === '0') return false;
    // `eq_ignore_ascii_case`.
    const lower = t.length === 4 || t.length === 5 ? t.toLowerCase() : '';
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    return refuse(ctx, s, 'expected a boolean (true/false, 1/0 or "1"/"0")');
  }),
  z.null(),
]);

/** `opt::<bool>`: a boolean, or null. */
const optBool = bool.optional().transform(orNull);

/** `flag`: a boolean whose "no value" is `false`. */
const flag = bool.optional().transform((v) => v ?? false);

// ---- text (lenient.rs `impl LenientScalar for String`) ----

/** `text`: a string as it came (`""` included), or a number written as text. */
const text = z.union([z.string(), z.number().transform(numberText), z.null()]).optional().transform(orNull);

/** `required_text`: text that must be there and not `null`. */
const requiredText = z.union([z.string(), z.number().transform(numberText)]);

// ---- decimals (decimal.rs; rust_decimal's `from_str`) ----

const U96 = 2n ** 96n;
const WILL_OVERFLOW_U64 = 2n ** 64n / 10n - 255n;

/** rust_decimal's rounding once the digits do not fit: half up on the digit `next` (`_` is
 * 0), the rest still checked. */
function round(m, scale, next, rest) {
  let digit;
  if (next >= '0' && next <= '9') digit = next.charCodeAt(0) - 48;
  else if (next === '_') digit = 0;
  else return undefined;
  if (digit >= 5) {
    m += 1n;
    if (m >= U96) {
      if (scale === 0) return undefined;
      m = (m + 4n) / 10n;
      scale -= 1;
    }
  }
  // Rounding happens only after the point: a second one is refused.
  return /^[\d_]*$/.test(rest) ? [m, scale] : undefined;
}

/** rust_decimal's `from_str` on text without an exponent, exactly (its rounding beyond 28
 * places or 96 bits, its `_` separators): `[mantissa, scale, negative]`, or undefined. */
function plainDecimal(t) {
  const big = t.length >= 18;
  let i = 0;
  let neg = false;
  if (t[0] === '-' || t[0] === '+') {
    neg = t[0] === '-';
    i = 1;
  }
  let m = 0n;
  let scale = 0;
  let point = false;
  let has = false;
  let wide = false;
  for (; i < t.length; i++) {
    const c = t[i];
    if (c >= '0' && c <= '9') {
      const next = m * 10n + BigInt(c.charCodeAt(0) - 48);
      if (wide && next >= U96) {
        if (!point) return undefined;
        const r = round(m, scale, c, t.slice(i + 1));
        return r && [r[0], r[1], neg];
      }
      m = next;
      has = true;
      if (point) scale += 1;
      if (i + 1 < t.length && point && big && scale >= 28) {
        // The 96-bit reader looks past `_` for the digit to round on; the 64-bit one does not.
        let at = i + 1;
        if (wide) while (at < t.length && t[at] === '_') at++;
        if (at === t.length) return [m, scale, neg];
        const r = round(m, scale, t[at], t.slice(at + 1));
        return r && [r[0], r[1], neg];
      }
      if (big && m >= WILL_OVERFLOW_U64) wide = true;
    } else if (c === '.' && !point) {
      point = true;
    } else if (c === '_' && (has || wide)) {
      // A separator, after the first digit.
    } else {
      return undefined;
    }
  }
  return has ? [m, scale, neg] : undefined;
}

/** rust_decimal's `from_str`, exponents included (`from_scientific_lossy`). */
function decimalParts(t) {
  const e = t.search(/[eE]/);
  const plain = plainDecimal(t);
  if (plain || e < 0) return plain;
  const base = plainDecimal(t.slice(0, e));
  const exp = t.slice(e + 1);
  if (!base) return undefined;
  let [m, scale, neg] = base;
  // `str::parse::<u32>` of the exponent, after a `-`.
  const negExp = exp[0] === '-';
  const digits = negExp ? exp.slice(1) : exp;
  if (!/^\+?\d+$/.test(digits)) return undefined;
  const n = Number(digits);
  if (n > 28) return undefined;
  if (negExp) {
    if (scale + n > 28) {
      // Rounded (half away from zero) to fit 28 places.
      const drop = 10n ** BigInt(scale + n - 28);
      m = (m + drop / 2n) / drop;
      scale = 28;
    } else {
      scale += n;
    }
  } else if (n <= scale) {
    scale -= n;
  } else {
    m *= 10n ** BigInt(n - scale);
    scale = 0;
    if (m >= U96) return undefined;
  }
  return [m, scale, neg];
}

/** The number a decimal's parts write (0 for any zero). */
function partsNumber([m, scale, neg]) {
  if (m === 0n) return 0;
  const digits = m.toString().padStart(scale + 1, '0');
  const at = digits.length - scale;
  const value = Number(`${digits.slice(0, at)}.${digits.slice(at)}`);
  return neg ? -value : value;
}

const DECIMAL_REFUSED = 'expected a decimal number (like 168.6 or "168.6")';
// Prices as the API writes them, exact as JavaScript numbers: no rounding to decide.
const SHORT_DECIMAL = /^-?\d{1,15}(?:\.\d{1,12})?$/;

/** `opt::<Decimal>`: a JSON number or a numeric string, written back as a number. */
const optDecimal = z
  .union([
    z.number().transform((n, ctx) => {
      if (n === 0) return 0;
      const abs = Math.abs(n);
      // Rust reads a float through its shortest text: up to 2^96, and 28 places.
      if (abs >= 2 ** 96) return refuse(ctx, n, DECIMAL_REFUSED);
      return abs >= 1e-11 ? n : partsNumber(decimalParts(numberText(n)));
    }),
    z.string().transform((s, ctx) => {
      const t = trim(s);
      if (t === '') return null;
      if (SHORT_DECIMAL.test(t)) return Number(t) || 0;
      const parts = decimalParts(t);
      return parts ? partsNumber(parts) : refuse(ctx, s, DECIMAL_REFUSED);
    }),
    z.null(),
  ])
  .optional()
  .transform(orNull);

// ---- dates (date.rs `ApiDate`) ----

const pad = (n, width) => String(n).padStart(width, '0');
const twoDigits = (s) => (s.length === 2 && /^\d\d$/.test(s) ? Number(s) : undefined);

function daysIn(year, month) {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `YYYY-M-D`: `[year, month, day]`. */
function plainDate(t) {
  const parts = t.split('-');
  if (parts.length !== 3) return undefined;
  const [y, m, d] = parts;
  if (!/^\d{4}$/.test(y) || !/^\d{1,2}$/.test(m) || !/^\d{1,2}$/.test(d)) return undefined;
  const [year, month, day] = [Number(y), Number(m), Number(d)];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  return [year, month, day];
}

/** `HH:MM`, `HH:MM:SS`, `HH:MM:SS.fraction`: `[hour, minute, second, nanos]`. */
function clock(s) {
  const cut = s.search(/[.,]/);
  const hms = (cut < 0 ? s : s.slice(0, cut)).split(':');
  if (hms.length < 2 || hms.length > 3) return undefined;
  const [h, m, sec] = [twoDigits(hms[0]), twoDigits(hms[1]), hms.length === 3 ? twoDigits(hms[2]) : 0];
  if (h === undefined || m === undefined || sec === undefined) return undefined;
  if (h > 23 || m > 59 || sec > 59) return undefined;
  let nanos = 0;
  if (cut >= 0) {
    const f = s.slice(cut + 1);
    if (!/^\d{1,9}$/.test(f)) return undefined;
    nanos = Number(f) * 10 ** (9 - f.length);
  }
  return [h, m, sec, nanos];
}

/** `Z`, `+01:00`, `+0100`, `+01`: seconds east of UTC. */
function offset(s) {
  if (s === 'Z' || s === 'z') return 0;
  const sign = s[0] === '+' ? 1 : s[0] === '-' ? -1 : 0;
  const d = s.slice(1);
  let h;
  let m = 0;
  if (d.length === 2) h = twoDigits(d);
  else if (d.length === 4) [h, m] = [twoDigits(d.slice(0, 2)), twoDigits(d.slice(2))];
  else if (d.length === 5 && d[2] === ':') [h, m] = [twoDigits(d.slice(0, 2)), twoDigits(d.slice(3))];
  if (!sign || h === undefined || m === undefined) return undefined;
  const secs = h * 3600 + m * 60;
  return secs < 86400 ? sign * secs : undefined;
}

/** An ApiDate: `{ date, time, offset }` (time and offset undefined when not written). */
function apiDate(t) {
  const at = t.search(/[Tt ]/);
  const date = plainDate(at < 0 ? t : t.slice(0, at));
  if (!date || at < 0) return date && { date };
  const rest = t.slice(at + 1);
  const zoneAt = rest.search(/[Zz+-]/);
  const time = clock(zoneAt < 0 ? rest : rest.slice(0, zoneAt));
  if (!time) return undefined;
  if (zoneAt < 0) return { date, time };
  const secs = offset(rest.slice(zoneAt));
  return secs === undefined ? undefined : { date, time, offset: secs };
}

const dateText = ([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;

/** How ApiDate writes itself: `2024-02-29`, `2024-02-29T14:24:49`, `2024-02-29T14:24:49+01:00`,
 * the fraction in 3, 6 or 9 digits when there is one. */
function writeDate({ date, time, offset: secs }) {
  if (!time) return dateText(date);
  const [h, m, s, nanos] = time;
  const fraction =
    nanos === 0 ? ''
    : nanos % 1e6 === 0 ? `.${pad(nanos / 1e6, 3)}`
    : nanos % 1e3 === 0 ? `.${pad(nanos / 1e3, 6)}`
    : `.${pad(nanos, 9)}`;
  const local = `${dateText(date)}T${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${fraction}`;
  if (secs === undefined) return local;
  const abs = Math.abs(secs);
  const [oh, om] = [Math.floor(abs / 3600), Math.floor((abs % 3600) / 60)];
  return `${local}${secs < 0 ? '-' : '+'}${pad(oh, 2)}:${pad(om, 2)}`;
}

/** PHP's form of a `DateTime`'s `date`: `2025-03-01 14:24:49.000000` (php_datetime.rs). */
function writePhpDate({ date, time = [0, 0, 0, 0] }) {
  const [h, m, s, nanos] = time;
  return `${dateText(date)} ${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(Math.floor(nanos / 1000), 6)}`;
}

/** An ApiDate's text as `write` writes it; `null` for no date (`""`, PHP's `0000-00-00…`). */
function readDate(write) {
  return (s, ctx) => {
    const t = trim(s);
    if (t === '' || s.startsWith('0000-00-00')) return null;
    const date = apiDate(t);
    return date ? write(date) : refuse(ctx, s, 'expected a date (like 2017-06-05 or 2024-02-29T14:24:49+01:00)');
  };
}

const readPhpDate = readDate(writePhpDate);

/** `opt::<ApiDate>`: a date string, written back canonically. */
const optDate = z.union([z.string().transform(readDate(writeDate)), z.null()]).optional().transform(orNull);

// ---- enums (open_enum.rs): known names and their aliases, anything else kept as it came ----

/** `opt::<Enum>`: text, `""` for none, an alias read as its canonical name. */
function optEnum(aliases = new Map()) {
  return text.transform((t) => (t === null || t === '' ? null : (aliases.get(t) ?? t)));
}

const ORDER_ORIGIN = new Map([
  ['cash\u2013register', 'cash-register'],
  ['cash_register', 'cash-register'],
]);
const META_TYPE = new Map([['radio', 'radiolist']]);

// ---- records (page_text.rs `Rule`) ----

// `null`, `""`, `[]` or `{}`: how PHP says "none" for a list or an object.
const nothing = z.union([z.null(), z.literal(''), z.tuple([]), z.strictObject({})]).transform(() => null);

// A field at its default: no value, `false`, an empty list.
const isDefault = (v) => v === null || v === false || (Array.isArray(v) && v.length === 0);

/** `object`: a nested record, `null` when none came or when every field is at its default. */
function object(shape) {
  return z
    .union([z.object(shape).transform((r) => (Object.values(r).every(isDefault) ? null : r)), nothing])
    .optional()
    .transform(orNull);
}

/** `list` (and `typed`): a list of records, `[]` when none came. */
function list(record) {
  return z.union([z.array(record), nothing]).optional().transform((v) => v ?? []);
}

/** `Rule::Always`: a record that is always there, with every field absent when none came. */
function always(shape) {
  const record = z.object(shape);
  return z.union([record, nothing]).optional().transform((v) => v ?? record.parse({}));
}

// ---- the typed lists' records (object.rs `Agreement`, meta.rs `Meta`) ----

/** php_datetime.rs `DateOrPhp`: a date string, or PHP's `{date, timezone_type, timezone}`. */
const optDateOrPhp = z
  .union([
    z.string().transform(readDate(writeDate)),
    z.object({
      date: z.string().transform((s, ctx) => readPhpDate(s, ctx) ?? refuse(ctx, s, 'expected a date, found none')),
      timezone_type: optU8,
      timezone: text,
    }),
    z.null(),
  ])
  .optional()
  .transform(orNull);

const AGREEMENT = z.object({ name: text, valid_to: optDateOrPhp, status: optBool });

/** meta.rs `MetaTextVisitor`: text, a number as text, a boolean as `1`/`0`. */
const metaText = z
  .union([z.string(), z.number().transform(numberText), z.boolean().transform((b) => (b ? '1' : '0')), z.null()])
  .optional()
  .transform(orNull);

const textOrEmpty = text.transform((t) => t ?? '');

const LANGUAGE_VALUE = z.object({ language: textOrEmpty, value: metaText.transform((t) => t ?? '') });

/** meta.rs `language_values`: a list of `{language, value}`, or an object keyed by language
 * whose entries are `{language, value}` (the key when `language` is empty) or plain values. */
const languageValues = z
  .union([
    z.array(LANGUAGE_VALUE),
    z.record(z.string(), z.union([LANGUAGE_VALUE, metaText])).transform((byLanguage) =>
      Object.entries(byLanguage).map(([language, entry]) =>
        entry !== null && typeof entry === 'object'
          ? { language: entry.language === '' ? language : entry.language, value: entry.value }
          : { language, value: entry ?? '' },
      ),
    ),
    z.literal(''),
    z.null(),
  ])
  .optional()
  .transform((v) => (Array.isArray(v) ? v : []));

const META = z.object({ key: textOrEmpty, type: optEnum(META_TYPE), value: metaText, values: languageValues });

// ---- the tables (fields.rs) ----

const DIMENSIONS = { width: optDecimal, length: optDecimal, height: optDecimal };

const CUSTOMER = {
  email: text,
  phone: text,
  code: text,
  customer_id: optU64,
  customer_pricelist_id: optU64,
  pricelist_name: text,
  pricelist_percent: optDecimal,
  firstname_invoice: text,
  surname_invoice: text,
  street_invoice: text,
  city_invoice: text,
  state_invoice: text,
  zip_invoice: text,
  country_id_invoice: text,
  postal_yn: flag,
  firstname_postal: text,
  surname_postal: text,
  street_postal: text,
  city_postal: text,
  state_postal: text,
  zip_postal: text,
  country_id_postal: text,
  company_postal: text,
  company_yn: flag,
  company: text,
  ico: text,
  dic: text,
  vat_payer_yn: flag,
  customer_note: text,
  agreements: list(AGREEMENT),
};

const NAME_VALUE = { name: text, value: text };

const CONFIGURATION_VALUE = { value: text, operation: text, price: optDecimal };

const CONFIGURATION = { name: text, values: list(z.object(CONFIGURATION_VALUE)) };

const PRODUCT_CATEGORY = { category_id: optU64, code: text };

const PRODUCT = {
  product_id: optU64,
  option_set_id: optU64,
  type: optEnum(),
  uuid: text,
  parent_uuid: text,
  code: text,
  code_supplier: text,
  supplier: text,
  ean: text,
  title: text,
  adult_yn: flag,
  unit: text,
  length: text,
  length_unit: text,
  quantity: optDecimal,
  price_per_unit: optDecimal,
  price_per_unit_with_vat: optDecimal,
  price_per_unit_without_vat: optDecimal,
  price: optDecimal,
  price_with_vat: optDecimal,
  price_without_vat: optDecimal,
  vat: optDecimal,
  buy_price: optDecimal,
  recycling_fee: optDecimal,
  weight: optDecimal,
  availability: text,
  stock_position: text,
  invoice_info: text,
  parameters: list(z.object(NAME_VALUE)),
  configurations: list(z.object(CONFIGURATION)),
  categories: list(z.object(PRODUCT_CATEGORY)),
  image_url: text,
};

const VAT_DISCOUNT = {
  price: optDecimal,
  price_with_vat: optDecimal,
  price_without_vat: optDecimal,
  vat: optDecimal,
};

const DISCOUNT_VOUCHER = {
  code: text,
  type: optEnum(),
  amount: optDecimal,
  discounts: list(z.object(VAT_DISCOUNT)),
};

const QUANTITY_DISCOUNT = {
  type: optEnum(),
  amount: optDecimal,
  discounts: list(z.object(VAT_DISCOUNT)),
};

const LOYALTY_POINTS = {
  one_point_for: optDecimal,
  amount: optDecimal,
  discounts: list(z.object(VAT_DISCOUNT)),
};

const SHIPMENT = {
  id: optU64,
  code: text,
  name: text,
  price: optDecimal,
  price_with_vat: optDecimal,
  price_without_vat: optDecimal,
  vat: optDecimal,
  affiliate_id: text,
  affiliate_name: text,
  type: optEnum(),
  packeta_carrier_id: optU64,
};

const PAYMENT = {
  id: optU64,
  code: text,
  name: text,
  price: optDecimal,
  price_with_vat: optDecimal,
  price_without_vat: optDecimal,
  vat: optDecimal,
  eet_yn: flag,
  type: optEnum(),
};

const ATTACHMENT = { id: text, name: text, url: text, code: text };

const ORDER = {
  order_number: requiredText,
  order_id: optU64,
  case_number: text,
  external_order_number: text,
  uuid: text,
  language_id: text,
  currency_id: text,
  default_currency_rate: optDecimal,
  prices_with_vat_yn: flag,
  status_id: optU64,
  status: text,
  paid_date: optDate,
  tracking_code: text,
  tracking_url: text,
  statistics_yn: optBool,
  resolved_yn: flag,
  oss_yn: flag,
  internal_note: text,
  last_update_time: optDate,
  creation_time: optDate,
  variable_symbol: text,
  dimensions: object(DIMENSIONS),
  total_weight: optDecimal,
  order_total: optDecimal,
  order_total_before_round: optDecimal,
  order_total_rest: optDecimal,
  invoice_number: text,
  origin: optEnum(ORDER_ORIGIN),
  admin_url: text,
  // Never null: an order without a customer has one with every field empty.
  customer: always(CUSTOMER),
  products: list(z.object(PRODUCT)),
  discount_voucher: object(DISCOUNT_VOUCHER),
  quantity_discount: object(QUANTITY_DISCOUNT),
  loyalty_points: object(LOYALTY_POINTS),
  shipment: object(SHIPMENT),
  payment: object(PAYMENT),
  attachments: list(z.object(ATTACHMENT)),
  metas: list(META),
};

/** The answer of `GET /orders`: its paging fields (as order.rs `OrderList` reads them) and
 * its orders. */
export const zodOrderList = z.object({
  current_page: optU32,
  current_page_items: optU32,
  number_of_pages: optU32,
  number_of_items: optU64,
  orders: list(z.object(ORDER)),
});
