export { cliArgs, rejectUnknownFlags } from "./cli.ts";
export { envName, flagName, LOG_LEVELS, SETTINGS, type SettingDef } from "./definitions.ts";
export { ConfigError, loadSettings } from "./load.ts";
export { SECRET_KEYS, type Settings, SettingsSchema } from "./settings.ts";
export { inRanges, parseVmidRanges, type VmidRange } from "./vmid-ranges.ts";
