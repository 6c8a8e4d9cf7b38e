import { z } from "zod";
import { SETTINGS, type SettingDef } from "./definitions.ts";

type Def = (typeof SETTINGS)[number];

type ValueOf<D> = D extends { type: "integer" }
  ? number
  : D extends { type: "boolean" }
    ? boolean
    : D extends { type: "enum"; values: readonly (infer V)[] }
      ? V
      : D extends { type: "list" }
        ? string[]
        : string;

type WithDefault = Extract<Def, { default: unknown }>;
type WithoutDefault = Exclude<Def, { default: unknown }>;

/** The one settings object the server runs with. */
export type Settings = { [D in WithDefault as D["key"]]: ValueOf<D> } & {
  [D in WithoutDefault as D["key"]]?: ValueOf<D>;
};

/** The zod check of one setting's value, with messages that name the allowed values. */
export function fieldSchema(def: SettingDef): z.ZodType {
  switch (def.type) {
    case "integer": {
      let s = z.number({ error: "expected an integer" }).int("expected an integer");
      if (def.min !== undefined) s = s.min(def.min, `must be at least ${def.min}`);
      if (def.max !== undefined) s = s.max(def.max, `must be at most ${def.max}`);
      return s;
    }
    case "boolean":
      return z.boolean({ error: "expected true or false" });
    case "enum": {
      const values = def.values ?? [];
      return z.enum(values as [string, ...string[]], {
        error: `expected one of: ${values.join(", ")}`,
      });
    }
    case "list":
      return z.array(z.string({ error: "expected a list of strings" }));
    default:
      return z.string({ error: "expected a string" });
  }
}

let whole: z.ZodType<Settings> | undefined;

/**
 * The whole Settings object as one schema (every key known, defaults filled in), for tests and
 * tools. Built on first use: start-up checks only the values given (see load.ts).
 */
export function settingsSchema(): z.ZodType<Settings> {
  whole ??= z.strictObject(
    Object.fromEntries(
      SETTINGS.map((def) => {
        const field = fieldSchema(def);
        return [def.key, "default" in def ? field.default(def.default) : field.optional()];
      }),
    ),
  ) as unknown as z.ZodType<Settings>;
  return whole;
}

/** Every default, as a fresh object (lists copied, so callers may change them). */
export function defaults(): Record<string, unknown> {
  return Object.fromEntries(
    (SETTINGS as readonly SettingDef[])
      .filter((d) => d.default !== undefined)
      .map((d) => [d.key, Array.isArray(d.default) ? [...d.default] : d.default]),
  );
}

export const SECRET_KEYS: ReadonlySet<string> = new Set(
  SETTINGS.filter((d: SettingDef) => d.secret).map((d) => d.key),
);
