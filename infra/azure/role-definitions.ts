/**
 * Built-in Azure role definition ids the stack assigns (Microsoft Learn, "Azure built-in roles").
 * These GUIDs are the same in every Azure cloud and tenant.
 */
export const BUILT_IN_ROLES = {
  /** Read secret contents of a Key Vault in RBAC mode: the app's identity resolves Key Vault references. */
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  /** Pull images: the app's identity pulls from the registry the stack creates. */
  acrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
} as const;

/** The full role definition id ARM expects in a role assignment. */
export function roleDefinitionId(subscriptionId: string, roleId: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}
