/**
 * Test Connection, discovery documents (RFC 7643 §5–§7) and routing of ScimProtocol.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MethodNotAllowedError } from "../../../src/scim/errors";
import { scimError } from "../scim-error";
import { BASE, call, ENTERPRISE, type Json, LIST, ok, q, useFreshProtocol } from "./harness";

useFreshProtocol();

describe("Test Connection", () => {
  for (const endpoint of ["/Users?filter=", "/Groups?excludedAttributes=members&filter="]) {
    it(`${endpoint.split("?")[0]}: a random-guid filter answers 200 with an empty ListResponse`, async () => {
      const attribute = endpoint.startsWith("/Users") ? "userName" : "displayName";
      const response = await call(
        "GET",
        `${endpoint}${q(`${attribute} eq "4c8a2f9e-1b7d-4e3a-9f6c-5d2e8b1a7c3f"`)}&aadOptscim062020`,
      );
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, {
        schemas: [LIST],
        totalResults: 0,
        startIndex: 1,
        itemsPerPage: 0,
        Resources: [],
      });
    });
  }
});

describe("Discovery and routing", () => {
  it("ServiceProviderConfig advertises patch, filter with maxResults, etag, bearer tokens; no bulk, sort or changePassword", async () => {
    const config = await ok("GET", "/ServiceProviderConfig");
    assert.deepEqual(config.patch, { supported: true });
    assert.deepEqual(config.filter, { supported: true, maxResults: 50 });
    assert.equal(config.bulk.supported, false);
    assert.equal(config.sort.supported, false);
    assert.equal(config.changePassword.supported, false);
    assert.equal(config.etag.supported, true);
    assert.equal(config.authenticationSchemes[0].type, "oauthbearertoken");
  });

  it("Schemas lists User, EnterpriseUser and Group; Schemas/{id} returns one", async () => {
    const schemas = await ok("GET", "/Schemas");
    assert.deepEqual(schemas.schemas, [LIST]);
    assert.deepEqual(schemas.Resources.map((schema: Json) => schema.id).sort(), [
      "urn:ietf:params:scim:schemas:core:2.0:Group",
      "urn:ietf:params:scim:schemas:core:2.0:User",
      ENTERPRISE,
    ]);
    const user = await ok("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
    const userName = user.attributes.find((attribute: Json) => attribute.name === "userName");
    assert.deepEqual(
      {
        required: userName.required,
        caseExact: userName.caseExact,
        uniqueness: userName.uniqueness,
        type: userName.type,
      },
      { required: true, caseExact: false, uniqueness: "server", type: "string" },
    );
    await assert.rejects(call("GET", "/Schemas/urn:nope"), scimError(404, undefined));
  });

  it("every served attribute definition carries the RFC 7643 §7 characteristics", async () => {
    const schemas = await ok("GET", "/Schemas");
    const check = (attribute: Json, where: string) => {
      for (const key of [
        "name",
        "type",
        "multiValued",
        "description",
        "required",
        "caseExact",
        "mutability",
        "returned",
        "uniqueness",
      ]) {
        assert.ok(key in attribute, `${where}.${attribute.name} lacks ${key}`);
      }
      assert.match(attribute.type, /^(string|boolean|decimal|integer|dateTime|reference|binary|complex)$/);
      assert.match(attribute.mutability, /^(readOnly|readWrite|immutable|writeOnly)$/);
      assert.match(attribute.returned, /^(always|never|default|request)$/);
      assert.equal(
        attribute.type === "complex",
        Array.isArray(attribute.subAttributes),
        `${where}.${attribute.name}`,
      );
      for (const sub of attribute.subAttributes ?? []) check(sub, `${where}.${attribute.name}`);
    };
    for (const schema of schemas.Resources) {
      assert.equal(schema.meta.location, `${BASE}/Schemas/${schema.id}`);
      for (const attribute of schema.attributes) check(attribute, schema.id);
    }
  });

  it("ResourceTypes lists User (with the enterprise extension) and Group", async () => {
    const types = await ok("GET", "/ResourceTypes");
    assert.equal(types.totalResults, 2);
    const user = await ok("GET", "/ResourceTypes/User");
    assert.equal(user.endpoint, "/Users");
    assert.deepEqual(user.schemaExtensions, [{ schema: ENTERPRISE, required: false }]);
  });

  it("endpoint names are matched case-insensitively; unknown paths are 404, wrong methods 405", async () => {
    assert.equal((await call("GET", "/users")).status, 200);
    await assert.rejects(call("GET", "/Things"), scimError(404, undefined));
    // No id holds NUL: 404 from the protocol, never a store error (PostgreSQL cannot take NUL in a parameter).
    await assert.rejects(call("GET", "/Users/abc\u0000def"), scimError(404, undefined));
    await assert.rejects(call("DELETE", "/Groups/\u0000"), scimError(404, undefined));
    await assert.rejects(call("DELETE", "/Users"), scimError(405, undefined));
    await assert.rejects(call("POST", "/Schemas"), scimError(405, undefined));
    await assert.rejects(
      call("POST", "/Bulk", {}),
      scimError(404, undefined, /bulk operations are not supported/),
    );
  });

  it("a 405 lists the methods the path allows, for the Allow header (RFC 9110 §15.5.6)", async () => {
    const allowOf = async (method: string, target: string) => {
      const error = await call(method, target).then(
        () => assert.fail(`${method} ${target} succeeded`),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof MethodNotAllowedError);
      assert.equal(error.status, 405);
      return error.allow;
    };
    assert.deepEqual(await allowOf("DELETE", "/Users"), ["GET", "POST"]);
    assert.deepEqual(await allowOf("POST", "/Groups/some-id"), ["GET", "PUT", "PATCH", "DELETE"]);
    assert.deepEqual(await allowOf("PUT", "/ServiceProviderConfig"), ["GET"]);
    assert.deepEqual(await allowOf("GET", "/Users/.search"), ["POST"]);
  });

  it("POST /.search runs the query from the body (RFC 7644 §3.4.3)", async () => {
    await ok("POST", "/Users", { userName: "searchable" });
    const result = await ok("POST", "/Users/.search", {
      filter: 'userName eq "SEARCHABLE"',
      attributes: ["userName"],
    });
    assert.equal(result.totalResults, 1);
    assert.equal(result.Resources[0].emails, undefined);
  });
});
