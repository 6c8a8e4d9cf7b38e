export {
  cliArgs,
  type OptionDecl,
  type ParsedLine,
  parseCommandLine,
  parseFlags,
  placeholder,
} from "./cli.ts";
export { splitToken } from "./credentials.ts";
export { envName, flagName, LOG_LEVELS, SETTINGS, type SettingDef } from "./definitions.ts";
export { readPemCertificates } from "./files.ts";
export { ConfigError, loadSettings } from "./load.ts";
export { defaults, SECRET_KEYS, type Settings, settingsSchema } from "./settings.ts";
export { inRanges, parseVmidRanges, type VmidRange } from "./vmid-ranges.ts";
