import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  formatIpv4Cidr,
  MINIMUM_ENVIRONMENT_PREFIX,
  parseIpv4Cidr,
  planSubnets,
  type SubnetPlan,
} from "../../../infra/azure/network-plan";

describe("parseIpv4Cidr", () => {
  test("parses and formats back", () => {
    const parsed = parseIpv4Cidr("10.42.0.0/16");
    assert.deepEqual(parsed, { network: (10 * 256 + 42) * 65536, prefixLength: 16 });
    assert.equal(formatIpv4Cidr(parsed as Exclude<typeof parsed, string>), "10.42.0.0/16");
  });
  test("explains what is wrong", () => {
    assert.match(parseIpv4Cidr("10.42.0.0") as string, /not an IPv4 CIDR/);
    assert.match(parseIpv4Cidr("300.1.1.1/8") as string, /octet above 255/);
    assert.match(parseIpv4Cidr("10.0.0.0/33") as string, /prefix length above 32/);
    assert.equal(parseIpv4Cidr("10.0.0.7/24"), '"10.0.0.7/24" has host bits set; use 10.0.0.0/24');
  });
});

describe("planSubnets", () => {
  test("workload profiles: a delegated /24 (≥ Microsoft's /27 minimum), then the database /27", () => {
    assert.deepEqual(planSubnets("10.42.0.0/16", "workloadProfiles"), {
      environmentSubnet: "10.42.0.0/24",
      environmentDelegation: "Microsoft.App/environments",
      databaseSubnet: "10.42.1.0/27",
    });
  });
  test("consumption only: an undelegated /23 (Microsoft's minimum), then the database /27", () => {
    assert.deepEqual(planSubnets("192.168.0.0/22", "consumptionOnly"), {
      environmentSubnet: "192.168.0.0/23",
      environmentDelegation: undefined,
      databaseSubnet: "192.168.2.0/27",
    });
  });
  test("refuses a space that cannot hold both subnets", () => {
    assert.match(planSubnets("10.0.0.0/23", "consumptionOnly") as string, /too small.*use a \/22 or larger/);
  });

  test("for every space that fits: subnets are disjoint, inside the space and at least the minimum size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 23 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.constantFrom("workloadProfiles" as const, "consumptionOnly" as const),
        (prefixLength, address, environmentType) => {
          const network = address - (address % 2 ** (32 - prefixLength));
          const space = formatIpv4Cidr({ network, prefixLength });
          const plan = planSubnets(space, environmentType);
          if (typeof plan === "string") {
            assert.ok(environmentType === "consumptionOnly" && prefixLength === 23);
            return;
          }
          const range = (cidr: string) => {
            const parsed = parseIpv4Cidr(cidr) as { network: number; prefixLength: number };
            return [
              parsed.network,
              parsed.network + 2 ** (32 - parsed.prefixLength) - 1,
              parsed.prefixLength,
            ];
          };
          const [environmentStart, environmentEnd, environmentPrefix] = range(
            (plan as SubnetPlan).environmentSubnet,
          );
          const [databaseStart, databaseEnd] = range(plan.databaseSubnet);
          assert.ok(environmentPrefix <= MINIMUM_ENVIRONMENT_PREFIX[environmentType]);
          assert.ok(environmentEnd < databaseStart, "subnets must not overlap");
          assert.ok(environmentStart >= network && databaseEnd <= network + 2 ** (32 - prefixLength) - 1);
        },
      ),
    );
  });
});
