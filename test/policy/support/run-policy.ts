import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";

/**
 * Calls a policy's validation function(s) the way the policy engine does, for a resource of `type` with
 * `props`, and returns the reported violation messages.
 */
export function violationsOf(
  policy: ResourceValidationPolicy,
  type: string,
  props: Record<string, unknown>,
): string[] {
  const violations: string[] = [];
  const args = {
    type,
    props,
    urn: `urn:pulumi:test::scimkit::${type}::resource`,
    name: "resource",
    opts: {},
    stackTags: new Map<string, string>(),
    isType: (resourceClass: { __pulumiType?: string }) => resourceClass.__pulumiType === type,
    asType: () => props,
    getConfig: () => ({}),
    notApplicable: () => undefined,
  } as unknown as ResourceValidationArgs;
  const validations = Array.isArray(policy.validateResource)
    ? policy.validateResource
    : [policy.validateResource];
  for (const validate of validations) {
    if (validate) validate(args, (message: string) => violations.push(message));
  }
  return violations;
}
