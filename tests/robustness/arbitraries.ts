// fast-check arbitraries for tool arguments, derived from a tool's JSON input schema (the
// catalogue's): values that fit the schema, values a hostile or confused client sends (wrong
// types, 1 MB strings, path traversal, control characters, unicode, NaN-ish and huge numbers),
// and argument objects that mix them, drop required keys and add unknown ones.

import fc from "fast-check";

export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
};

const MB = 1 << 20;
const HUGE = "x".repeat(MB);
const HUGE_UNICODE = "ℙ💥".repeat(MB / 6);

/** Strings that reach for other endpoints if a tool put them into a path unchecked. */
export const TRAVERSAL = [
  "../access",
  "../../access/ticket",
  "..%2F..%2Faccess%2Fticket",
  "%2e%2e/%2e%2e/access/ticket",
  "%2E%2E%2F",
  "pve1/../../access/ticket",
  "100/../../../access/ticket",
  "..\\..\\access",
  "..",
  ".",
  "/",
  "local:../../etc/passwd",
  "local:iso/../../../../etc/shadow",
  "UPID:../../access/ticket:",
  "pve1?x=1",
  "pve1#frag",
];

const WEIRD_STRINGS = [
  "",
  " ",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e309",
  "-0",
  "0x64",
  "100abc",
  " 100 ",
  "1.5",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "9".repeat(400),
  "\u0000",
  "a\u0000b",
  "\r\n\t",
  "\u001b[31mred\u001b[0m",
  "\u202eevil",
  "\ufeffbom",
  "\ud800",
  "e\u0301\u0301\u0301",
  "💥🧨",
  "ℙ𝕍𝔼",
  "'; DROP TABLE vms; --",
  "$(reboot)",
  "`id`",
  "<script>alert(1)</script>",
  "a&vmid=999&node=pve3",
  "x=1; rm -rf /",
  "*".repeat(5000),
  "*a".repeat(2000),
  "(a+)+$",
  "%00",
  "%",
  "__proto__",
  "constructor",
];

const WEIRD_NUMBERS = [
  -1,
  0,
  1,
  99,
  -100,
  0.5,
  100.5,
  2 ** 31,
  2 ** 32 + 100,
  999_999_999,
  1_000_000_000,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1e308,
  Number.MIN_VALUE,
];

/** Anything a confused or hostile client could put where a value belongs. */
export function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...TRAVERSAL) },
    { weight: 3, arbitrary: fc.constantFrom(...WEIRD_STRINGS) },
    { weight: 1, arbitrary: fc.constantFrom(HUGE, HUGE_UNICODE) },
    { weight: 2, arbitrary: fc.constantFrom(...WEIRD_NUMBERS) },
    { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [1, 2], { a: 1 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double() }, // NaN and ±Infinity travel as null in JSON
    { weight: 1, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 4 }) },
  );
}

/** Known names of the demo cluster, so valid values also reach deep code paths. */
export interface Known {
  nodes: string[];
  vmids: number[];
  storages: string[];
  upids: string[];
  volids: string[];
}

const KNOWN_BY_KEY: Record<string, keyof Known> = {
  node: "nodes",
  target: "nodes",
  target_node: "nodes",
  vmid: "vmids",
  newid: "vmids",
  storage: "storages",
  target_storage: "storages",
  upid: "upids",
  volid: "volids",
  volume: "volids",
};

/**
 * Arguments that make a tool wait (wait_ms, quiet_ms, timeout_ms, timeout in seconds): always
 * given, and small, so a fitting call cannot sit out its default or maximum wait.
 */
export const SLOW_KEY = /^(wait_ms|quiet_ms|timeout_ms|timeout)$/;

function regexOf(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

/** A value that fits the schema (as far as JSON Schema says: refinements may still refuse it). */
export function validValue(schema: JsonSchema, key = "", known?: Known): fc.Arbitrary<unknown> {
  const pool = known && KNOWN_BY_KEY[key] ? known[KNOWN_BY_KEY[key]] : [];
  const fitting = fitValue(schema, key, known);
  return pool.length > 0
    ? fc.oneof(
        { weight: 1, arbitrary: fitting },
        { weight: 2, arbitrary: fc.constantFrom(...pool) },
      )
    : fitting;
}

function fitValue(schema: JsonSchema, key: string, known?: Known): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  if (schema.anyOf && schema.anyOf.length > 0) {
    return fc.oneof(...schema.anyOf.map((s) => validValue(s, key, known)));
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "boolean":
      return fc.boolean();
    case "integer": {
      const min = Math.max(schema.minimum ?? -(2 ** 31), Number.MIN_SAFE_INTEGER);
      const max = Math.min(schema.maximum ?? 2 ** 31, Number.MAX_SAFE_INTEGER);
      if (SLOW_KEY.test(key)) return fc.integer({ min, max: Math.min(max, Math.max(min, 50)) });
      return fc.integer({ min, max });
    }
    case "number":
      return fc.double({
        min: schema.minimum ?? -1e9,
        max: schema.maximum ?? 1e9,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "string":
      return stringValue(schema);
    case "array":
      return fc.array(schema.items ? validValue(schema.items, key, known) : fc.string(), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)),
      });
    case "object":
      return argumentsOf(schema, known, 0);
    default:
      return fc.anything({ maxDepth: 1 });
  }
}

function stringValue(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === "uri") return fc.webUrl();
  if (schema.format === "email") return fc.emailAddress();
  const re = schema.pattern ? regexOf(schema.pattern) : undefined;
  if (re) {
    const max = schema.maxLength;
    return fc
      .stringMatching(re)
      .filter((s) => s.length >= (schema.minLength ?? 0) && (max === undefined || s.length <= max));
  }
  return fc.string({
    minLength: schema.minLength ?? 0,
    maxLength: Math.min(schema.maxLength ?? 64, 64),
    unit: "grapheme",
  });
}

/**
 * Argument objects for a tool: each property fits, is hostile, or is left out (required ones
 * too); sometimes an unknown key joins. `hostility` 0 gives only fitting values.
 */
export function argumentsOf(
  schema: JsonSchema,
  known?: Known,
  hostility = 2,
): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const entry = ([key, s]: [string, JsonSchema]) => {
    const choices: fc.WeightedArbitrary<unknown>[] = [
      { weight: 4, arbitrary: validValue(s, key, known) },
    ];
    if (hostility > 0) choices.push({ weight: hostility, arbitrary: hostileValue() });
    const value = fc.oneof(...choices);
    // Missing: always possible for optional keys, now and then for required ones.
    const missing = SLOW_KEY.test(key) ? 0 : required.has(key) ? (hostility > 0 ? 1 : 0) : 3;
    return missing > 0
      ? fc.oneof(
          { weight: 6, arbitrary: value.map((v) => [key, v] as const) },
          { weight: missing, arbitrary: fc.constant(undefined) },
        )
      : value.map((v) => [key, v] as const);
  };
  const extra =
    hostility > 0
      ? fc.option(
          fc.tuple(
            fc.constantFrom("extra", "__proto__", "constructor", "confirm", "vmid ", "Node"),
            hostileValue(),
          ),
          { freq: 5 },
        )
      : fc.constant(null);
  return fc.tuple(fc.tuple(...props.map(entry)), extra).map(([pairs, more]) => {
    const args: Record<string, unknown> = {};
    // defineProperty: "__proto__" becomes an own key, as JSON.parse makes it on the server.
    const put = (key: string, value: unknown) =>
      Object.defineProperty(args, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    for (const pair of pairs) if (pair) put(pair[0], pair[1]);
    if (more) put(more[0], more[1]);
    return args;
  });
}
