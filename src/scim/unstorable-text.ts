/**
 * Text that no storage engine holds the same way: U+0000 (PostgreSQL's text and jsonb refuse it, SQLite
 * would store it) and UTF-16 surrogates without their pair (not Unicode scalar values, so they have no
 * UTF-8 form; PostgreSQL refuses them, SQLite would keep them). The protocol refuses such text where it
 * enters — request bodies, filter literals, resource ids in paths — so a request gets the same answer on
 * either engine, and a value that one replica stored can always be moved to the other engine.
 */
export function unstorableTextIn(value: string): string | undefined {
  if (value.includes("\u0000")) return "U+0000 (NUL)";
  // String#isWellFormed (ES2024, Node 20+): false when a surrogate has no partner.
  if (!(value as unknown as { isWellFormed(): boolean }).isWellFormed()) {
    return "a UTF-16 surrogate without its pair";
  }
  return undefined;
}
