import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import { ConfigError } from "./config-error.ts";
import { resolveCredentials } from "./credentials.ts";
import { envName, flagName, SETTINGS, type SettingDef } from "./definitions.ts";
import { checkFiles } from "./files.ts";
import { defaults, fieldSchema, type Settings } from "./settings.ts";
import { parseVmidRanges } from "./vmid-ranges.ts";

export { ConfigError };

type Raw = string | number | boolean | string[] | undefined;
interface Source {
  label: (def: SettingDef) => string;
  read: (def: SettingDef) => Raw;
  /** CLI and env give text; TOML values already have their type and must match it. */
  text: boolean;
}

/**
 * Settings from CLI flags > env > config file > defaults. `flags` are citty's parsed args
 * (kebab-case keys; booleans may arrive negated as `verify-ssl: false` for `--no-verify-ssl`).
 */
export function loadSettings(
  flags: Record<string, unknown>,
  env: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): Settings {
  const errors: string[] = [];
  const file = readConfigFile(flagValue(flags, "config") ?? env.PROXMOX_CONFIG, cwd);
  if (file) errors.push(...unknownKeys(file));

  const sources: Source[] = [
    { label: (d) => `--${flagName(d)}`, read: (d) => flagValue(flags, flagName(d)), text: true },
    { label: (d) => envName(d) ?? d.key, read: (d) => fromEnv(env, d), text: true },
    {
      label: (d) => `${file?.path ?? "config file"}: ${d.key}`,
      read: (d) => (d.cliOnly ? undefined : (file?.values[d.key] as Raw)),
      text: false,
    },
  ];

  const merged: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  for (const def of SETTINGS) {
    for (const source of sources) {
      const raw = source.read(def);
      if (raw === undefined || raw === "") continue;
      origin.set(def.key, source.label(def));
      const checked = fieldSchema(def).safeParse(source.text ? coerce(def, raw) : raw);
      if (checked.success) merged[def.key] = checked.data;
      else
        errors.push(
          `${source.label(def)}: ${describe(def, raw, checked.error.issues[0]?.message)}`,
        );
      break;
    }
  }
  if (errors.length > 0) throw new ConfigError(errors.join("\n"));

  // Each given value passed its field's schema above; the rest are the table's defaults.
  const settings = { ...defaults(), ...merged } as Settings;
  const sourceOf = (key: string) => origin.get(key) ?? key;
  checkCombination(settings, sourceOf);
  return settings;
}

function flagValue(flags: Record<string, unknown>, name: string): Raw {
  const value = flags[name];
  if (value !== undefined) return value as Raw;
  // citty reads `--no-verify-ssl` as `verify-ssl: false`.
  if (name.startsWith("no-") && flags[name.slice(3)] === false) return true;
  return undefined;
}

function fromEnv(env: Record<string, string | undefined>, def: SettingDef): Raw {
  const name = envName(def);
  return name ? env[name] : undefined;
}

const TRUE = new Set(["1", "true", "yes", "on"]);
const FALSE = new Set(["0", "false", "no", "off"]);

/** CLI and env give strings: turn them into the setting's type; the schema says the rest. */
function coerce(def: SettingDef, raw: Raw): unknown {
  if (typeof raw !== "string") return raw;
  const text = raw.trim();
  switch (def.type) {
    case "integer":
      return /^[+-]?\d+$/.test(text) ? Number(text) : raw;
    case "boolean":
      if (TRUE.has(text.toLowerCase())) return true;
      if (FALSE.has(text.toLowerCase())) return false;
      return raw;
    case "list":
      return text
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    default:
      return text;
  }
}

function describe(def: SettingDef, raw: Raw, reason = "invalid value"): string {
  const shown = def.secret ? "(hidden)" : JSON.stringify(raw);
  return `${reason}, got ${shown}`;
}

interface ConfigFile {
  path: string;
  values: Record<string, unknown>;
}

function readConfigFile(given: Raw, cwd: string): ConfigFile | undefined {
  const explicit = typeof given === "string" && given !== "";
  const path = resolve(cwd, explicit ? (given as string) : "config.toml");
  if (!existsSync(path)) {
    if (explicit) throw new ConfigError(`config file not found: ${path}`);
    return undefined;
  }
  const text = readFileSync(path, "utf8");
  try {
    return { path, values: parseToml(text) };
  } catch (error) {
    // smol-toml quotes the offending line, which may hold a secret: say where, not what.
    const { message, line } = error as { message: string; line?: number };
    const key = line ? /^\s*([\w.-]+)\s*=/.exec(text.split("\n")[line - 1] ?? "")?.[1] : undefined;
    const where = line ? ` (line ${line}${key ? `, key ${key}` : ""})` : "";
    throw new ConfigError(`${path}: not valid TOML: ${message.split("\n")[0]}${where}`);
  }
}

const FILE_KEYS: readonly string[] = SETTINGS.filter((d: SettingDef) => !d.cliOnly).map(
  (d) => d.key,
);

function unknownKeys(file: ConfigFile): string[] {
  return Object.keys(file.values)
    .filter((key) => !FILE_KEYS.includes(key))
    .map((key) => {
      const hint = FILE_KEYS.includes(key.replaceAll("-", "_"))
        ? `did you mean ${key.replaceAll("-", "_")}?`
        : `known keys: ${FILE_KEYS.join(", ")}`;
      return `${file.path}: unknown key "${key}" (${hint})`;
    });
}

/** Checks that need more than one setting; caught here, before any request is sent. */
function checkCombination(s: Settings, sourceOf: (key: string) => string): void {
  const ranges = parseVmidRanges(s.allowed_vmids ?? []);
  if (typeof ranges === "string") throw new ConfigError(`${sourceOf("allowed_vmids")}: ${ranges}`);
  if (s.demo) return;
  resolveCredentials(s, sourceOf);
  checkFiles(s, sourceOf);
}
