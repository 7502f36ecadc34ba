/**
 * How deep arrays and objects may nest in any JSON the service takes: a request body, an imported
 * record, a value of a Save Project file (`{"a": [1]}` is 2 levels). Locations' properties and
 * configurations' values never need more than a few; the bound keeps code that walks a value
 * recursively (validation, serialization, hashing) far from the stack's limit, which a few
 * thousand levels reach. Each reader checks it without recursion, before building the value.
 */
export const MAX_JSON_DEPTH = 64;
