/**
 * The trial objects of a stack, named so nobody can mistake them for real people and every one can be
 * found again: users `scimkit-trial-<stack>-<n>@<domain>`, group `scimkit-trial-<stack>`.
 */
export const TRIAL_NAME_PREFIX = "scimkit-trial";

export interface TrialUserPlan {
  readonly userPrincipalName: string;
  readonly mailNickname: string;
  readonly displayName: string;
  readonly givenName: string;
  readonly surname: string;
}

export interface TrialPlan {
  readonly users: readonly TrialUserPlan[];
  readonly group: { readonly displayName: string; readonly mailNickname: string };
}

/** Lowercase letters, digits and dashes: valid in a UPN's local part, a mailNickname and a group name. */
export function trialSlug(stack: string): string {
  const slug = stack
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, 30) || "stack";
}

export function planTrial(stack: string, domain: string, userCount: number): TrialPlan {
  const base = `${TRIAL_NAME_PREFIX}-${trialSlug(stack)}`;
  const users = Array.from({ length: userCount }, (_, index) => {
    const number = index + 1;
    const mailNickname = `${base}-${number}`;
    return {
      userPrincipalName: `${mailNickname}@${domain}`,
      mailNickname,
      displayName: `scimkit trial ${stack} ${number}`,
      givenName: "Trial",
      surname: `User ${number}`,
    };
  });
  return { users, group: { displayName: base, mailNickname: base } };
}
