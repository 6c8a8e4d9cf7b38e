/** A setting that cannot be used as given; the message names the setting and what is allowed. */
export class ConfigError extends Error {
  override name = "ConfigError";
}
