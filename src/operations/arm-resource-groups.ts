/**
 * Does a resource group still exist? One Azure Resource Manager call:
 * `GET {arm}/subscriptions/{sub}/resourcegroups/{name}?api-version=2021-04-01` → 200 exists, 404 gone
 * (https://learn.microsoft.com/rest/api/resources/resource-groups/get).
 *
 * Same credentials as `pulumi up`: DefaultAzureCredential, or a pre-acquired token in SCIMKIT_ARM_TOKEN
 * (`az account get-access-token --resource https://management.azure.com/`). SCIMKIT_ARM_ENDPOINT points
 * at sovereign clouds (https://management.usgovcloudapi.net, https://management.chinacloudapi.cn) or a
 * local stand-in in tests.
 */
import type { ResourceGroupProbe } from "./teardown-check";

const DEFAULT_ARM_ENDPOINT = "https://management.azure.com";
const RESOURCE_GROUPS_API_VERSION = "2021-04-01";

export interface ArmOptions {
  readonly endpoint?: string;
  readonly token?: string;
}

export function armResourceGroupProbe(options: ArmOptions = {}): ResourceGroupProbe {
  const endpoint = (
    options.endpoint ??
    nonEmpty(process.env.SCIMKIT_ARM_ENDPOINT) ??
    DEFAULT_ARM_ENDPOINT
  ).replace(/\/+$/, "");
  const explicitToken = options.token ?? nonEmpty(process.env.SCIMKIT_ARM_TOKEN);
  let credential: import("@azure/identity").TokenCredential | undefined;

  async function accessToken(): Promise<string> {
    if (explicitToken) return explicitToken;
    if (!credential) {
      const identity = await import("@azure/identity");
      credential = new identity.DefaultAzureCredential();
    }
    const token = await credential.getToken(`${endpoint}/.default`);
    if (!token) {
      throw new Error(
        `no Azure Resource Manager token for ${endpoint}: run "az login", or set SCIMKIT_ARM_TOKEN to the output of ` +
          `"az account get-access-token --resource ${endpoint}/ --query accessToken -o tsv"`,
      );
    }
    return token.token;
  }

  return {
    async resourceGroupExists(subscriptionId, name) {
      const url =
        `${endpoint}/subscriptions/${encodeURIComponent(subscriptionId)}` +
        `/resourcegroups/${encodeURIComponent(name)}?api-version=${RESOURCE_GROUPS_API_VERSION}`;
      const response = await fetch(url, { headers: { authorization: `Bearer ${await accessToken()}` } });
      if (response.status === 200) return true;
      if (response.status === 404) return false;
      const detail = await response.text().catch(() => "");
      throw new Error(
        `Azure Resource Manager GET resource group ${name} failed with ${response.status}: ${detail.slice(0, 300)}` +
          (response.status === 403 ? " (the caller needs Reader on the subscription)" : ""),
      );
    },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== "" ? value.trim() : undefined;
}
