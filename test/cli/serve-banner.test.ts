import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { startBanner } from "../../src/cli/serve";
import { parseServiceConfig } from "../../src/config/service-config";

const configuredToken = "Zq3xR7pL0vWk9sYt2NbHc5MdJf8GuEa1";

describe("the start banner", () => {
  test("in development it shows the tenant URL and the generated token, ready for the Entra portal", () => {
    const config = parseServiceConfig({}, "/srv/app");
    const banner = startBanner(
      {
        config,
        developmentToken: {
          token: "generated-token-value",
          file: "/srv/app/data/scim-token",
          generated: true,
        },
      },
      8080,
    );
    assert.match(banner, /Tenant URL:\s+http:\/\/localhost:8080\/scim\/v2\n/);
    assert.match(banner, /Secret Token:\s+generated-token-value\n/);
  });

  test("configured tokens are counted, never printed; a PostgreSQL password is masked", () => {
    const config = parseServiceConfig(
      {
        SCIM_TOKENS: configuredToken,
        SCIM_BASE_PATH: "/api/v3/scim2",
        HOST: "10.1.2.3",
        DATABASE_URL: "postgres://scimkit:hunter2-password@db.internal:5432/scimkit?sslmode=require",
      },
      "/srv/app",
    );
    const banner = startBanner({ config }, 9000);
    assert.match(banner, /Tenant URL:\s+http:\/\/10\.1\.2\.3:9000\/api\/v3\/scim2\n/);
    assert.match(banner, /1 bearer token\(s\) from SCIM_TOKENS/);
    assert.ok(!banner.includes(configuredToken));
    assert.ok(!banner.includes("hunter2-password"));
    assert.match(banner, /postgres:\/\/scimkit:\*\*\*@db\.internal:5432\/scimkit/);
  });
});
