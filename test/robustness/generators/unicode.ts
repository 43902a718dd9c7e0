/**
 * Strings that break naive code: astral code points (UTF-16 surrogate pairs), right-to-left text and
 * bidi overrides, NUL and other controls, lone surrogates (not valid UTF-8; PostgreSQL's jsonb refuses
 * `\ud800`), combining marks, zero-width characters, BOM, and characters that mean something to SQL
 * LIKE, to JSON and to the SCIM filter grammar.
 */
import fc from "fast-check";

/** Single "units" chosen because each has broken some parser, database or renderer somewhere. */
const NASTY_UNITS = [
  "\u0000", // NUL: C strings end here; PostgreSQL text/jsonb cannot hold it
  "\u0001",
  "\u001f",
  "\u007f",
  "\t",
  "\n",
  "\r",
  "\ud800", // lone high surrogate
  "\udfff", // lone low surrogate
  "\ud83d\ude00", // 😀 astral (surrogate pair)
  "\u{1d49c}", // 𝒜 astral letter
  "\u{10ffff}", // last code point
  "\ufeff", // BOM / zero-width no-break space
  "\u200b", // zero-width space
  "\u200d", // zero-width joiner
  "\u202e", // right-to-left override
  "\u2066", // left-to-right isolate
  "שלום", // Hebrew (RTL)
  "مرحبا", // Arabic (RTL)
  "e\u0301", // e + combining acute
  "\u0130", // İ: lower-cases to two code points
  "ß", // upper-cases to SS
  "\u212a", // Kelvin sign: case-folds to k
  "Ⅻ",
  "\uffff",
  "%",
  "_",
  "\\",
  "'",
  '"',
  "`",
  "*",
  "[",
  "]",
  "(",
  ")",
  " ",
  "+",
  "&",
  "#",
  "?",
  "/",
  ";",
  "--",
  "/*",
] as const;

export const nastyUnit = fc.constantFrom(...NASTY_UNITS);

/** Any code point except surrogates, plus the nasty units, mixed. */
export const anyUnit = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: nastyUnit },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
);

/** Short hostile strings (0–24 units). */
export const nastyString = fc.string({ unit: anyUnit, maxLength: 24 });
export const nonEmptyNastyString = fc.string({ unit: anyUnit, minLength: 1, maxLength: 24 });

/** Strings that a well-behaved service must store and return unchanged: valid Unicode, no NUL. */
export const storableUnit = fc.oneof(
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
  nastyUnit.filter(
    (unit) =>
      unit !== "\u0000" && !/[\ud800-\udfff]/.test(unit.replace(/[\ud800-\udbff][\udc00-\udfff]/g, "")),
  ),
);
export const storableString = fc.string({ unit: storableUnit, minLength: 1, maxLength: 24 });

/** A string of `length` code units built from one repeated unit: big payloads without big generation cost. */
export const hugeString = fc
  .tuple(
    fc.constantFrom("a", "é", "😀", "\u0000", '"', "\\", "%"),
    fc.constantFrom(10_000, 100_000, 1_000_000, 3_000_000),
  )
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));

/** C0 control characters (U+0000–U+001F): a service may refuse them in names. */
export function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) < 0x20) return true;
  return false;
}

/** NUL or a UTF-16 surrogate not part of a pair: not representable in PostgreSQL text / valid UTF-8. */
export function hasNulOrLoneSurrogate(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0) return true;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
      else return true;
    } else if (code >= 0xdc00 && code <= 0xdfff) return true;
  }
  return false;
}
