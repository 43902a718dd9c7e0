/**
 * The scimkit policy pack: `pulumi preview --policy-pack policy` (from the repository root) checks a tenant
 * stack against scimkit's security properties before anything is deployed.
 */
import { PolicyPack } from "@pulumi/policy";
import { scimkitPolicies } from "./policies";

new PolicyPack("scimkit-security", { policies: scimkitPolicies });
