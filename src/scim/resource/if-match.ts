/**
 * RFC 7644 §3.14 / RFC 7232 §3.1 If-Match → the store's expectedVersion. Versions are rendered as
 * `W/"<n>"`; `*` matches any version. A tag we never issued can match nothing, so it maps to a version
 * no resource has, and the store answers 412.
 */
export function expectedVersionOf(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === "" || ifMatch.trim() === "*") return undefined;
  const match = /^\s*(?:W\/)?"(\d+)"\s*$/i.exec(ifMatch);
  return match ? Number(match[1]) : -1;
}
