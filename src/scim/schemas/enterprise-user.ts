/** RFC 7643 §4.3 Enterprise User extension; stored under its URN key in the user document. */
import { attribute, complexAttribute, type SchemaDefinition } from "./attribute";

export const ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

export const enterpriseUserSchema: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: "EnterpriseUser",
  description: "Enterprise User",
  attributes: [
    attribute("employeeNumber", "string", "Numeric or alphanumeric identifier assigned to a person."),
    attribute("costCenter", "string", "Identifies the name of a cost center."),
    attribute("organization", "string", "Identifies the name of an organization."),
    attribute("division", "string", "Identifies the name of a division."),
    attribute("department", "string", "Identifies the name of a department."),
    complexAttribute("manager", "The User's manager.", [
      attribute("value", "string", "The id of the SCIM resource representing the User's manager."),
      attribute("$ref", "reference", "The URI of the SCIM resource representing the User's manager.", {
        referenceTypes: ["User"],
      }),
      attribute("displayName", "string", "The displayName of the User's manager.", {
        mutability: "readOnly",
      }),
    ]),
  ],
};
