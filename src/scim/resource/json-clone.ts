/**
 * Deep copy of a JSON value (what JSON.parse, a jsonb column or a rendered resource holds: objects,
 * arrays, strings, numbers, booleans, null). Replaces structuredClone on the PATCH and projection paths:
 * structuredClone serialises through V8's value serializer and cost ~3.4 µs per User document against
 * ~0.6 µs here (micro-bench, Node 20). Not for Dates, Maps or cycles — SCIM documents hold none.
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const copy = new Array(value.length);
    for (let index = 0; index < value.length; index++) copy[index] = cloneJson(value[index]);
    return copy as T;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = cloneJson((value as Record<string, unknown>)[key]);
    // JSON.parse keeps "__proto__" as an own key; plain assignment would change the copy's prototype instead.
    if (key === "__proto__") {
      Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    } else {
      copy[key] = item;
    }
  }
  return copy as T;
}
