/** An OData string literal for a `$filter`: single quotes are doubled (OData ABNF, SQUOTE-in-string). */
export function odataStringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
