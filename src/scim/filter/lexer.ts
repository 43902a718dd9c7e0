/**
 * Tokens of RFC 7644 §3.4.2.2 filters and §3.5.2 PATCH paths. A "word" is anything up to whitespace,
 * a bracket, a parenthesis or a quote: attribute paths (URNs included), operators, `and`/`or`/`not`,
 * numbers, true/false/null, and the `.subAttr` that may follow a `]`. Strings are JSON strings (RFC 7644
 * compValue), decoded with JSON.parse so escapes behave exactly as in JSON.
 */
import { ScimError, type ScimType } from "../errors";
import { unstorableTextIn } from "../unstorable-text";

export type Token =
  | { readonly kind: "word"; readonly text: string; readonly position: number }
  | { readonly kind: "string"; readonly value: string; readonly text: string; readonly position: number }
  | { readonly kind: "(" | ")" | "[" | "]"; readonly text: string; readonly position: number };

const PUNCTUATION = new Set(["(", ")", "[", "]"]);
const WORD_END = /[\s()[\]"]/;

/** Splits `input` into tokens; `scimType` is the error code to use (invalidFilter or invalidPath). */
export function tokenize(input: string, scimType: ScimType): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < input.length) {
    const char = input[index]!;
    if (/\s/.test(char)) {
      index++;
    } else if (PUNCTUATION.has(char)) {
      tokens.push({ kind: char as "(" | ")" | "[" | "]", text: char, position: index });
      index++;
    } else if (char === '"') {
      const end = endOfString(input, index);
      if (end === -1) {
        throw new ScimError(
          400,
          scimType,
          `unterminated string starting at position ${index + 1}: ${input.slice(index)}`,
        );
      }
      const text = input.slice(index, end + 1);
      tokens.push({ kind: "string", value: decodeString(text, index, scimType), text, position: index });
      index = end + 1;
    } else {
      let end = index;
      while (end < input.length && !WORD_END.test(input[end]!)) end++;
      tokens.push({ kind: "word", text: input.slice(index, end), position: index });
      index = end;
    }
  }
  return tokens;
}

/** Index of the closing quote of the string opening at `start`, honouring backslash escapes; -1 if none. */
function endOfString(input: string, start: number): number {
  for (let index = start + 1; index < input.length; index++) {
    if (input[index] === "\\") index++;
    else if (input[index] === '"') return index;
  }
  return -1;
}

function decodeString(text: string, position: number, scimType: ScimType): string {
  let value: string;
  try {
    value = JSON.parse(text) as string;
  } catch {
    throw new ScimError(
      400,
      scimType,
      `invalid string ${text} at position ${position + 1}: use JSON string escapes`,
    );
  }
  const unstorable = unstorableTextIn(value);
  if (unstorable !== undefined) {
    throw new ScimError(
      400,
      scimType,
      `the string at position ${position + 1} holds ${unstorable}, which no SCIM value here can contain`,
    );
  }
  return value;
}
