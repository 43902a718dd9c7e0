/**
 * Did a trial user arrive in the SCIM service with the mapped attributes? One GET
 * /Users?filter=userName eq "…" on the deployed service, compared with what the job's user mappings
 * make of the user (direct attributes, constants, and the template's Switch/Join expressions).
 * Mappings whose value can't be predicted here (other functions, multi-valued `emails[type eq …]`
 * targets, attributes trial users don't have) are not checked.
 */
import type { AttributeMapping, MappingSource } from "./on-demand";
import type { TrialUserPlan } from "./trial-plan";

export interface ScimCheck {
  readonly userPrincipalName: string;
  readonly found: boolean;
  readonly scimId?: string;
  /** `attribute: expected "x", got "y"` for each mapped attribute that differs. */
  readonly mismatches: readonly string[];
}

/** The default mappings of issue #6's seed-app table, used when the schema shows no user mappings. */
function defaultExpectations(user: TrialUserPlan): Record<string, unknown> {
  return {
    userName: user.userPrincipalName,
    active: true,
    "name.givenName": user.givenName,
    "name.familyName": user.surname,
    externalId: user.mailNickname,
  };
}

/** The trial user as Entra's source attributes (a created, enabled account). */
function entraAttributes(user: TrialUserPlan): Record<string, string> {
  return {
    userPrincipalName: user.userPrincipalName,
    mailNickname: user.mailNickname,
    displayName: user.displayName,
    givenName: user.givenName,
    surname: user.surname,
    IsSoftDeleted: "False",
  };
}

const UNPREDICTABLE = Symbol("unpredictable");

function evaluate(source: MappingSource | null | undefined, attributes: Record<string, string>): unknown {
  if (!source) return UNPREDICTABLE;
  const parameters = (source.parameters ?? []).map((parameter) => evaluate(parameter.value, attributes));
  switch (source.type) {
    case "Attribute":
      return source.name && source.name in attributes ? attributes[source.name] : UNPREDICTABLE;
    case "Constant":
      return source.name ?? "";
    case "Function":
      if (parameters.includes(UNPREDICTABLE)) return UNPREDICTABLE;
      if (source.name === "Switch") {
        // Switch(source, default, key1, value1, key2, value2, …)
        const [input, fallback, ...pairs] = parameters;
        for (let index = 0; index + 1 < pairs.length; index += 2) {
          if (String(pairs[index]) === String(input)) return pairs[index + 1];
        }
        return fallback;
      }
      if (source.name === "Join") {
        const [separator, ...parts] = parameters.map(String);
        return parts.filter((part) => part !== "").join(separator);
      }
      return UNPREDICTABLE;
    default:
      return UNPREDICTABLE;
  }
}

/** SCIM path → expected value, for every mapping whose value is predictable for a trial user. */
export function expectedScimAttributes(
  user: TrialUserPlan,
  userMappings: readonly AttributeMapping[] = [],
): Record<string, unknown> {
  if (userMappings.length === 0) return defaultExpectations(user);
  const attributes = entraAttributes(user);
  const expected: Record<string, unknown> = {};
  for (const mapping of userMappings) {
    const target = mapping.targetAttributeName;
    if (target.includes("[")) continue;
    const value = evaluate(mapping.source, attributes);
    if (value === UNPREDICTABLE || value === "") continue;
    // Entra sends "True"/"False" for active; a SCIM service stores the boolean (RFC 7643 §4.1.1).
    expected[target] = target === "active" ? String(value).toLowerCase() === "true" : value;
  }
  return expected;
}

export async function verifyInScim(
  scim: { baseUrl: string; token: string },
  user: TrialUserPlan,
  userMappings: readonly AttributeMapping[] = [],
  fetchImplementation: typeof fetch = fetch,
): Promise<ScimCheck> {
  const filter = `userName eq "${user.userPrincipalName.replace(/"/g, '\\"')}"`;
  const url = `${scim.baseUrl.replace(/\/+$/, "")}/Users?filter=${encodeURIComponent(filter)}`;
  const response = await fetchImplementation(url, {
    headers: { authorization: `Bearer ${scim.token}`, accept: "application/scim+json" },
    signal: AbortSignal.timeout(15_000),
  });
  if (response.status !== 200) {
    // Never include the token; the URL and status say what to look at.
    throw new Error(
      `SCIM check GET ${url} answered ${response.status}: is the service up and the token right?`,
    );
  }
  const body = (await response.json()) as { Resources?: Record<string, unknown>[] };
  const resource = body.Resources?.[0];
  if (!resource) return { userPrincipalName: user.userPrincipalName, found: false, mismatches: [] };
  const mismatches = Object.entries(expectedScimAttributes(user, userMappings))
    .map(([path, expected]) => {
      const actual = readPath(resource, path);
      // userName is matched case-insensitively by Entra and by SCIM (RFC 7643 §4.1.1 caseExact false).
      const equal =
        path === "userName" && typeof expected === "string" && typeof actual === "string"
          ? expected.toLowerCase() === actual.toLowerCase()
          : expected === actual;
      return equal
        ? undefined
        : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    })
    .filter((mismatch): mismatch is string => mismatch !== undefined);
  return { userPrincipalName: user.userPrincipalName, found: true, scimId: String(resource.id), mismatches };
}

/** `name.givenName`, or an extension attribute `urn:…:enterprise:2.0:User:department`. */
function readPath(resource: Record<string, unknown>, path: string): unknown {
  if (path.startsWith("urn:")) {
    const split = path.lastIndexOf(":");
    const extension = resource[path.slice(0, split)];
    return extension && typeof extension === "object"
      ? (extension as Record<string, unknown>)[path.slice(split + 1)]
      : undefined;
  }
  let current: unknown = resource;
  for (const segment of path.split(".")) {
    if (!current || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
