/**
 * The requests of an Entra provisioning job, by name, in the exact form Entra puts on the wire
 * (paths, query parameter order, filters with `eq` only). Used by `validate` and `simulate`; returns
 * raw Exchanges and leaves judging them to the caller.
 */
import type { Dialect } from "./dialect";
import type { PatchBody } from "./entra-bodies";
import { type Exchange, ScimConnection } from "./scim-connection";

export interface EntraClientOptions {
  readonly url: string;
  readonly token: string;
  readonly dialect: Dialect;
  readonly timeoutMs: number;
  readonly maxSockets?: number;
}

/** Quotes a filter value: RFC 7644 §3.4.2.2 compValue is a JSON string. */
function quote(value: string): string {
  return JSON.stringify(value);
}

export class EntraClient {
  readonly connection: ScimConnection;

  constructor(readonly options: EntraClientOptions) {
    // In the aadOptscim062020 dialect the flag sits in the tenant URL, so it reaches the server too.
    this.connection = new ScimConnection({
      url: options.url,
      token: options.token,
      timeoutMs: options.timeoutMs,
      maxSockets: options.maxSockets,
      extraQuery: options.dialect === "aadOptscim062020" ? "aadOptscim062020" : undefined,
    });
  }

  get dialect(): Dialect {
    return this.options.dialect;
  }

  /** Test Connection: a filter on a random GUID, which must find nothing (200, empty ListResponse). */
  testConnectionUsers(randomGuid: string): Promise<Exchange> {
    return this.findUserByUserName(randomGuid);
  }

  testConnectionGroups(randomGuid: string): Promise<Exchange> {
    return this.findGroupByDisplayName(randomGuid);
  }

  findUserByUserName(userName: string): Promise<Exchange> {
    return this.connection.send("GET", "/Users", { query: [["filter", `userName eq ${quote(userName)}`]] });
  }

  findUserByExternalId(externalId: string): Promise<Exchange> {
    return this.connection.send("GET", "/Users", {
      query: [["filter", `externalId eq ${quote(externalId)}`]],
    });
  }

  /** Paged variant (not sent by Entra; RFC 7644 §3.4.2.4), used by the pagination check. */
  findUsersPage(filter: string, startIndex: number, count: number): Promise<Exchange> {
    return this.connection.send("GET", "/Users", {
      query: [
        ["filter", filter],
        ["startIndex", String(startIndex)],
        ["count", String(count)],
      ],
    });
  }

  getUser(id: string): Promise<Exchange> {
    return this.connection.send("GET", `/Users/${encodeURIComponent(id)}`);
  }

  createUser(body: unknown): Promise<Exchange> {
    return this.connection.send("POST", "/Users", { body });
  }

  patchUser(id: string, body: PatchBody): Promise<Exchange> {
    return this.connection.send("PATCH", `/Users/${encodeURIComponent(id)}`, { body });
  }

  deleteUser(id: string): Promise<Exchange> {
    return this.connection.send("DELETE", `/Users/${encodeURIComponent(id)}`);
  }

  /** Entra puts `excludedAttributes=members` before the filter when matching groups. */
  findGroupByDisplayName(displayName: string): Promise<Exchange> {
    return this.connection.send("GET", "/Groups", {
      query: [
        ["excludedAttributes", "members"],
        ["filter", `displayName eq ${quote(displayName)}`],
      ],
    });
  }

  getGroup(id: string, options: { excludeMembers: boolean }): Promise<Exchange> {
    return this.connection.send("GET", `/Groups/${encodeURIComponent(id)}`, {
      query: options.excludeMembers ? [["excludedAttributes", "members"]] : [],
    });
  }

  createGroup(body: unknown): Promise<Exchange> {
    return this.connection.send("POST", "/Groups", { body });
  }

  patchGroup(id: string, body: PatchBody): Promise<Exchange> {
    return this.connection.send("PATCH", `/Groups/${encodeURIComponent(id)}`, { body });
  }

  deleteGroup(id: string): Promise<Exchange> {
    return this.connection.send("DELETE", `/Groups/${encodeURIComponent(id)}`);
  }

  close(): void {
    this.connection.close();
  }
}
