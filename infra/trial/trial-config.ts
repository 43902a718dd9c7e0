/**
 * Trial mode's stack config (declared in Pulumi.yaml):
 *   scimkit:trial           true = create test users and a group, provision them on demand, check them
 *   scimkit:trialDomain     a verified domain of the tenant for their sign-in names (contoso.onmicrosoft.com)
 *   scimkit:trialUserCount  how many test users, 1–20 (default 3)
 * Whether destroy deletes them permanently follows scimkit:entraPermanentDelete, like the app itself.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ConfigReader } from "../config-reader";

export interface TrialConfig {
  readonly enabled: boolean;
  readonly domain: string;
  readonly userCount: number;
}

const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function readTrialConfig(config: pulumi.Config, sharedReader?: ConfigReader): TrialConfig {
  // With infra/config.ts's reader, problems are reported together with every other key's.
  const reader = sharedReader ?? new ConfigReader(config);
  const enabled = reader.boolean("trial", false);
  const domain = reader.string("trialDomain", "");
  const userCount = reader.integer("trialUserCount", { min: 1, max: 20 }, 3);
  if (enabled && domain === "") {
    reader.fail(
      "trialDomain",
      "is required when scimkit:trial is true: set a verified domain of the tenant for the test users' " +
        "sign-in names, e.g. `pulumi config set scimkit:trialDomain contoso.onmicrosoft.com`",
    );
  } else if (domain !== "" && !DOMAIN.test(domain)) {
    reader.fail("trialDomain", `must be a domain name like contoso.onmicrosoft.com (got "${domain}")`);
  }
  if (enabled && !reader.boolean("entraEnabled", true)) {
    reader.fail("trial", "needs the Entra side, but scimkit:entraEnabled is false: set one of them to true");
  }
  if (!sharedReader) reader.throwIfInvalid();
  return { enabled, domain, userCount };
}
