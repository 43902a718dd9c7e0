/**
 * Test objects a check creates, remembered BEFORE the request is sent so that cleanup can find them
 * even when the create timed out or answered oddly (then it looks them up by name). Cleanup deletes in
 * reverse order of creation (groups before the users they contain) and never touches anything else.
 */

import { createGroupBody, createUserBody, type UserFields } from "../entra-bodies";
import type { EntraClient } from "../entra-client";
import type { Exchange } from "../scim-connection";
import { expectId, expectStatus, isObject } from "./expect";
import type { TestNames } from "./test-names";

export type FixtureType = "User" | "Group";

interface FixtureRecord {
  readonly type: FixtureType;
  /** userName or displayName, for the lookup when the id is unknown. */
  readonly name: string;
  id?: string;
}

export interface LeftBehind {
  readonly type: FixtureType;
  readonly name: string;
  readonly id?: string;
  readonly reason: string;
}

export interface CleanupResult {
  readonly deleted: number;
  readonly leftBehind: readonly LeftBehind[];
}

export interface CreatedUser {
  readonly id: string;
  readonly fields: UserFields;
  readonly exchange: Exchange;
}

export interface CreatedGroup {
  readonly id: string;
  readonly displayName: string;
  readonly externalId: string;
  readonly exchange: Exchange;
}

export class Fixtures {
  private readonly records: FixtureRecord[] = [];

  constructor(
    private readonly client: EntraClient,
    private readonly names: TestNames,
  ) {}

  userFields(label: string): UserFields {
    const userName = this.names.userName(label);
    return {
      userName,
      externalId: this.names.guid(),
      workEmail: userName.replace("@", ".mail@"),
      givenName: "Scimkit",
      familyName: `Validate ${label}`,
    };
  }

  async createUser(
    label: string,
    options: { what?: string; fields?: Partial<UserFields>; body?: (fields: UserFields) => unknown } = {},
  ): Promise<CreatedUser> {
    const fields = { ...this.userFields(label), ...options.fields };
    const what = options.what ?? `setup: create test user ${fields.userName}`;
    const record = this.track("User", fields.userName);
    const exchange = await this.client.createUser((options.body ?? createUserBody)(fields));
    expectStatus(exchange, [201], what);
    record.id = expectId(exchange, what);
    return { id: record.id, fields, exchange };
  }

  async createGroup(label: string, options: { what?: string } = {}): Promise<CreatedGroup> {
    const displayName = this.names.groupName(label);
    const externalId = this.names.guid();
    const what = options.what ?? `setup: create test group ${displayName}`;
    const record = this.track("Group", displayName);
    const exchange = await this.client.createGroup(createGroupBody(displayName, externalId));
    expectStatus(exchange, [201], what);
    record.id = expectId(exchange, what);
    return { id: record.id, displayName, externalId, exchange };
  }

  /** Remember an object created by a check's own request (e.g. a duplicate the server wrongly accepted). */
  track(type: FixtureType, name: string, id?: string): FixtureRecord {
    const record: FixtureRecord = { type, name, id };
    this.records.push(record);
    return record;
  }

  /** Renames follow the object, so a lookup by name still finds it. */
  renamed(id: string, newName: string): void {
    const record = this.records.find((candidate) => candidate.id === id);
    if (record) this.records.push({ type: record.type, name: newName, id });
  }

  async cleanup(): Promise<CleanupResult> {
    let deleted = 0;
    const leftBehind: LeftBehind[] = [];
    const done = new Set<string>();
    for (const record of [...this.records].reverse()) {
      let ids: string[];
      try {
        ids = record.id ? [record.id] : await this.lookUp(record);
      } catch (error) {
        leftBehind.push({
          ...record,
          reason: `its create got no usable answer and looking it up by name failed (${(error as Error).message}); it may not exist`,
        });
        continue;
      }
      for (const id of ids) {
        if (done.has(`${record.type}/${id}`)) continue;
        done.add(`${record.type}/${id}`);
        const exchange =
          record.type === "User" ? await this.client.deleteUser(id) : await this.client.deleteGroup(id);
        const status = exchange.response?.status;
        if (status === 204 || status === 200) deleted += 1;
        else if (status !== 404) {
          leftBehind.push({
            type: record.type,
            name: record.name,
            id,
            reason: status ? `DELETE answered ${status}` : `DELETE failed: ${exchange.error}`,
          });
        }
      }
    }
    this.records.length = 0;
    return { deleted, leftBehind };
  }

  /** ids of objects carrying exactly this test name (only our own, uniquely named objects). */
  private async lookUp(record: FixtureRecord): Promise<string[]> {
    const exchange =
      record.type === "User"
        ? await this.client.findUserByUserName(record.name)
        : await this.client.findGroupByDisplayName(record.name);
    const body = exchange.response?.body;
    if (exchange.response?.status !== 200 || !isObject(body)) {
      throw new Error(
        exchange.response ? `filter answered ${exchange.response.status}` : String(exchange.error),
      );
    }
    const resources = Array.isArray(body.Resources) ? body.Resources : [];
    const nameKey = record.type === "User" ? "userName" : "displayName";
    return resources
      .filter(isObject)
      .filter((resource) => String(resource[nameKey]).toLowerCase() === record.name.toLowerCase())
      .map((resource) => String(resource.id));
  }
}
