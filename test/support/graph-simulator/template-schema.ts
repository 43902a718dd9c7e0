/**
 * The synchronization schema a new job of the non-gallery SCIM template starts with: the default
 * mappings listed in ../shared/docs/graph-provisioning.md ("The non-gallery SCIM template's default
 * user mappings"), one rule, two directories.
 */
import { randomUUID } from "node:crypto";

const ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

type Source = Record<string, unknown>;
const attribute = (name: string): Source => ({ expression: null, name, parameters: [], type: "Attribute" });
const constant = (value: string): Source => ({
  expression: null,
  name: value,
  parameters: [],
  type: "Constant",
});

export const ACTIVE_EXPRESSION = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")';

function mapping(target: string, source: Source, matchingPriority = 0) {
  return {
    defaultValue: null,
    exportMissingReferences: false,
    flowBehavior: "FlowWhenChanged",
    flowType: "Always",
    matchingPriority,
    source,
    targetAttributeName: target,
  };
}

const activeSource: Source = {
  expression: ACTIVE_EXPRESSION,
  name: "Switch",
  type: "Function",
  parameters: [
    { key: "source", value: attribute("IsSoftDeleted") },
    { key: "defaultValue", value: constant("") },
    { key: "key", value: constant("False") },
    { key: "value", value: constant("True") },
    { key: "key", value: constant("True") },
    { key: "value", value: constant("False") },
  ],
};

const formattedSource: Source = {
  expression: 'Join(" ", [givenName], [surname])',
  name: "Join",
  type: "Function",
  parameters: [
    { key: "separator", value: constant(" ") },
    { key: "source", value: attribute("givenName") },
    { key: "source", value: attribute("surname") },
  ],
};

const DIRECT_USER_MAPPINGS: Array<[string, string]> = [
  ["displayName", "displayName"],
  ["jobTitle", "title"],
  ["mail", 'emails[type eq "work"].value'],
  ["preferredLanguage", "preferredLanguage"],
  ["givenName", "name.givenName"],
  ["surname", "name.familyName"],
  ["physicalDeliveryOfficeName", 'addresses[type eq "work"].formatted'],
  ["streetAddress", 'addresses[type eq "work"].streetAddress'],
  ["city", 'addresses[type eq "work"].locality'],
  ["state", 'addresses[type eq "work"].region'],
  ["postalCode", 'addresses[type eq "work"].postalCode'],
  ["country", 'addresses[type eq "work"].country'],
  ["telephoneNumber", 'phoneNumbers[type eq "work"].value'],
  ["mobile", 'phoneNumbers[type eq "mobile"].value'],
  ["facsimileTelephoneNumber", 'phoneNumbers[type eq "fax"].value'],
  ["mailNickname", "externalId"],
  ["employeeId", `${ENTERPRISE_USER}:employeeNumber`],
  ["department", `${ENTERPRISE_USER}:department`],
  ["manager", `${ENTERPRISE_USER}:manager`],
];

const attributeDefinition = (name: string, type = "String") => ({
  anchor: false,
  caseExact: false,
  defaultValue: null,
  flowNullValues: false,
  multivalued: false,
  mutability: "ReadWrite",
  name,
  required: false,
  type,
  apiExpressions: [],
  metadata: [],
  referencedObjects: [],
});

export function nonGallerySchema(jobId: string) {
  const userMappings = [
    mapping("userName", attribute("userPrincipalName"), 1),
    mapping("active", activeSource),
    ...DIRECT_USER_MAPPINGS.map(([source, target]) => mapping(target, attribute(source))),
    mapping("name.formatted", formattedSource),
  ];
  const groupMappings = [
    mapping("displayName", attribute("displayName"), 1),
    mapping("externalId", attribute("objectId")),
    mapping("members", attribute("members")),
  ];
  const sourceUserAttributes = [
    "userPrincipalName",
    "IsSoftDeleted",
    "accountEnabled",
    "objectId",
    "employeeType",
    "extensionAttribute1",
    ...DIRECT_USER_MAPPINGS.map(([source]) => source),
  ];
  const targetUserAttributes = [
    "userName",
    "active",
    "name.formatted",
    "roles",
    ...DIRECT_USER_MAPPINGS.map(([, target]) => target),
  ];
  return {
    id: jobId,
    version: "date:2026-11-01T00:00:00Z~###~sha:0",
    synchronizationRules: [
      {
        id: randomUUID(),
        name: "USER_OUTBOUND_USER",
        priority: 1,
        editable: true,
        sourceDirectoryName: "Azure Active Directory",
        targetDirectoryName: "customappsso",
        containerFilter: null,
        groupFilter: null,
        metadata: [
          { key: "defaultSourceObjectMappings", value: "[]" },
          { key: "supportsProvisionOnDemand", value: "true" },
        ],
        objectMappings: [
          {
            name: "Provision Microsoft Entra ID Users",
            enabled: true,
            flowTypes: "Add, Update, Delete",
            sourceObjectName: "User",
            targetObjectName: ENTERPRISE_USER,
            scope: null,
            metadata: [],
            attributeMappings: userMappings,
          },
          {
            name: "Provision Microsoft Entra ID Groups",
            enabled: true,
            flowTypes: "Add, Update, Delete",
            sourceObjectName: "Group",
            targetObjectName: CORE_GROUP,
            scope: null,
            metadata: [],
            attributeMappings: groupMappings,
          },
        ],
      },
    ],
    directories: [
      {
        id: randomUUID(),
        name: "Azure Active Directory",
        readOnly: true,
        objects: [
          {
            name: "User",
            attributes: sourceUserAttributes.map((name) => attributeDefinition(name)),
            metadata: [],
          },
          {
            name: "Group",
            attributes: ["displayName", "objectId", "members", "mailNickname"].map((n) =>
              attributeDefinition(n),
            ),
            metadata: [],
          },
        ],
      },
      {
        id: randomUUID(),
        name: "customappsso",
        readOnly: false,
        objects: [
          {
            name: ENTERPRISE_USER,
            attributes: targetUserAttributes.map((n) => attributeDefinition(n)),
            metadata: [],
          },
          {
            name: CORE_GROUP,
            attributes: ["displayName", "externalId", "members"].map((n) => attributeDefinition(n)),
            metadata: [],
          },
        ],
      },
    ],
  };
}

/** Operator spellings the simulator offers; deliberately not the portal's labels. */
export const FILTER_OPERATORS = [
  "EQUALS",
  "NOT_EQUALS",
  "IS_TRUE",
  "IS_FALSE",
  "IS_NULL",
  "IS_NOT_NULL",
  "REGEX_MATCH",
  "NOT_REGEX_MATCH",
  "Includes",
  "Greater_Than",
  "Greater_Than_OR_EQUALS",
  "ENDS_WITH",
  "&",
  "!&",
];
