/**
 * The token must never appear in anything scimkit prints. Requests already carry `Bearer <redacted>`;
 * this is the last line of defence for servers that echo the token back in a body or header.
 */
export function redactSecret(text: string, secret: string): string {
  if (!secret) return text;
  return text.split(secret).join("<redacted>");
}
