// Every setting is one row of data: its CLI flag, env var and config key, type, default and help.
// The CLI arguments, the env and TOML readers, the zod check, config.toml.example and the README
// tables are all derived from this list, so a setting is added in exactly one place.

export type SettingType = "string" | "integer" | "boolean" | "enum" | "list";

export interface SettingDef {
  /** snake_case name: the config-file key and the field of Settings. */
  key: string;
  type: SettingType;
  description: string;
  /** Short CLI alias (single letter), as in the Rust seed. */
  alias?: string;
  /** Env var; by default PROXMOX_<KEY>. `false` when the setting has none. */
  env?: string | false;
  default?: string | number | boolean | readonly string[];
  values?: readonly string[];
  min?: number;
  max?: number;
  /** Never logged, never echoed in an error. */
  secret?: boolean;
  /** Not a config-file key (e.g. --config itself, --demo). */
  cliOnly?: boolean;
  /** Section heading in docs. */
  group: "connection" | "auth" | "tls" | "server" | "http" | "tools" | "safety" | "api" | "logging";
}

export const LOG_LEVELS = ["error", "warn", "info", "debug", "trace"] as const;

export const SETTINGS = [
  {
    key: "config",
    alias: "c",
    type: "string",
    cliOnly: true,
    group: "connection",
    description: "Path of a TOML config file (default: ./config.toml when present).",
  },
  {
    key: "demo",
    type: "boolean",
    cliOnly: true,
    env: false,
    group: "connection",
    description:
      "Run against the built-in simulated cluster (no Proxmox needed); ignores host and credentials.",
  },
  {
    key: "host",
    alias: "H",
    type: "string",
    group: "connection",
    description:
      "Proxmox VE host name or IP, with :PORT when not the port setting (a pasted https:// URL works too).",
  },
  {
    key: "port",
    alias: "p",
    type: "integer",
    default: 8006,
    min: 1,
    max: 65535,
    group: "connection",
    description: "Proxmox VE API port.",
  },
  {
    key: "timeout",
    type: "integer",
    default: 30,
    min: 1,
    max: 3600,
    group: "connection",
    description: "Timeout of one API request, in seconds.",
  },
  {
    key: "user",
    alias: "u",
    type: "string",
    group: "auth",
    description:
      "User with realm, e.g. root@pam or mcp@pve (a token's owner); or the whole token as PVE shows it, USER@REALM!TOKENID=SECRET.",
  },
  {
    key: "password",
    alias: "P",
    type: "string",
    secret: true,
    group: "auth",
    description:
      "Password for ticket authentication (prefer an API token). Given with a token, it is used only where PVE refuses tokens (node shells).",
  },
  {
    key: "token_name",
    alias: "n",
    type: "string",
    group: "auth",
    description: "API token id (the part after '!'), e.g. mcp for root@pam!mcp.",
  },
  {
    key: "token_value",
    alias: "v",
    type: "string",
    secret: true,
    group: "auth",
    description: "API token secret (a UUID).",
  },
  {
    key: "api_token",
    type: "string",
    secret: true,
    group: "auth",
    description:
      "The whole API token as PVE shows it, USER@REALM!TOKENID=SECRET: user, token_name and token_value in one.",
  },
  {
    key: "no_verify_ssl",
    alias: "k",
    type: "boolean",
    default: false,
    group: "tls",
    description: "Skip TLS certificate verification (self-signed PVE certificates).",
  },
  {
    key: "ca_file",
    type: "string",
    group: "tls",
    description:
      "PEM file of a CA (or the host's own certificate) to trust instead of skipping checks.",
  },
  {
    key: "server_type",
    alias: "t",
    type: "enum",
    values: ["stdio", "http"],
    default: "stdio",
    group: "server",
    description: "MCP transport: stdio for a local client, http for a long-lived server.",
  },
  {
    key: "lazy_mode",
    type: "boolean",
    default: false,
    group: "tools",
    description: "Start with discovery tools only and load the rest on demand.",
  },
  {
    key: "task_wait",
    type: "integer",
    default: 60,
    min: 0,
    max: 3600,
    group: "tools",
    description:
      "Seconds a tool that starts a task waits for it before returning its UPID (0 = do not wait).",
  },
  {
    key: "task_reconnect",
    type: "integer",
    default: 30,
    min: 0,
    max: 3600,
    group: "tools",
    description:
      "Seconds a task wait keeps retrying while Proxmox does not answer (pveproxy restarts on upgrades) before it reports the task as started and possibly still running.",
  },
  {
    key: "toolsets",
    type: "list",
    default: ["default"],
    group: "tools",
    description:
      "Toolsets listed at start (comma-separated): `default` (a curated few), `all`, or `seed` (the 103 of proxmox-mcp-rs); the model enables others with enable_toolset. See `proxmox-mcp tools`.",
  },
  {
    key: "tools",
    type: "list",
    group: "tools",
    description: "Single tools to expose in addition to the toolsets (comma-separated names).",
  },
  {
    key: "exclude_tools",
    type: "list",
    group: "tools",
    description: "Tools never to expose (comma-separated names); wins over everything else.",
  },
  {
    key: "read_only",
    type: "boolean",
    default: false,
    group: "safety",
    description:
      "Expose only read-only tools, and refuse any non-GET request to Proxmox as a second wall.",
  },
  {
    key: "no_confirm",
    type: "boolean",
    default: false,
    group: "safety",
    description:
      "Run destructive tools without asking (for automation). By default they ask the user (MCP elicitation), or the first call returns a single-use code that a second call with the same arguments passes back as confirm.",
  },
  {
    key: "allowed_nodes",
    type: "list",
    group: "safety",
    description: "Only these nodes may be read or changed (comma-separated); default: all.",
  },
  {
    key: "allowed_vmids",
    type: "list",
    group: "safety",
    description:
      "Only these guests (comma-separated ids and ranges, e.g. 100-199,250); default: all.",
  },
  {
    key: "allowed_pools",
    type: "list",
    group: "safety",
    description: "Only guests in these pools (comma-separated); default: all.",
  },
  {
    key: "allowed_tags",
    type: "list",
    group: "safety",
    description: "Only guests with at least one of these tags (comma-separated); default: all.",
  },
  {
    key: "allow_node_admin",
    type: "boolean",
    default: false,
    group: "safety",
    description:
      "Under allowed_vmids, allowed_pools or allowed_tags, still allow node administration on the allowed nodes (host shells, services, apt, node network, DNS and firewall, node reboot, start/stop of all guests): it reaches every guest of the node. Default: refused.",
  },
  {
    key: "audit_log",
    type: "string",
    group: "safety",
    description:
      "Append JSON lines to this file: one before each mutating request leaves for Proxmox and one with its outcome (method, path, parameters), and one per mutating tool call (tool, arguments, target, result, UPID, session). Secrets are redacted; guest-agent file contents and stdin are recorded as size and SHA-256.",
  },
  {
    key: "api_schema",
    type: "string",
    group: "api",
    description:
      "The API schema file (a copy of /usr/share/pve-docs/api-viewer/apidoc.js from a host of the same PVE version, or the apidata.js of a pve-docs build) that raw API calls are checked against, for hosts without the pve-docs package. Default: the host's own, read on first use.",
  },
  {
    key: "api_schema_cache",
    type: "string",
    group: "api",
    description:
      "Directory where the host's API schema is kept per PVE version, so it is downloaded once; `off` keeps it in memory only. Default: $XDG_CACHE_HOME/proxmox-mcp (or ~/.cache/proxmox-mcp).",
  },
  {
    key: "api_allow_paths",
    type: "list",
    group: "api",
    description:
      "API paths the raw API tools (proxmox_api_get, proxmox_api) may reach, comma-separated; default: all. Patterns match segment by segment: `*` within a segment, `**` any number of segments, `{a|b}` alternatives, `{name}` any segment; an optional method prefix limits one (`GET /cluster/**`, `POST|PUT /nodes/*/qemu/*/config`).",
  },
  {
    key: "api_deny_paths",
    type: "list",
    default: [
      "/access/ticket",
      "/access/password",
      "/access/tfa/**",
      "/access/users/*/token/**",
      "/access/openid/login",
      "/nodes/*/execute",
      "/nodes/**/{termproxy|vncshell|spiceshell}",
      "/nodes/**/{vncproxy|spiceproxy|vncwebsocket}",
      "/nodes/*/*/*/{mtunnel|mtunnelwebsocket}",
      "/nodes/*/*/*/remote_migrate",
      "/nodes/*/qemu/*/{monitor|sendkey}",
      "/nodes/*/qemu/*/agent/{exec|set-user-password}",
      "/nodes/*/qemu/*/agent/file-*",
      "POST /cluster/config",
      "/cluster/config/join",
      "/cluster/config/nodes/**",
    ],
    group: "api",
    description:
      "API paths the raw API tools refuse, whatever api_allow_paths says (same patterns). The default keeps them from what would escape this server's controls: minting credentials (tickets, passwords, TFA, API tokens), shells, consoles and migration tunnels, QEMU monitor and key input, the guest agent's exec and file access, /nodes/*/execute (a batch of calls these checks would not see), and creating, joining or changing the cluster's membership. Setting it replaces the list.",
  },
  {
    key: "http_host",
    type: "string",
    default: "127.0.0.1",
    group: "http",
    description: "Address the HTTP server binds to.",
  },
  {
    key: "http_port",
    alias: "l",
    type: "integer",
    default: 3000,
    min: 0,
    max: 65535,
    group: "http",
    description: "Port of the HTTP server.",
  },
  {
    key: "http_auth_token",
    type: "string",
    secret: true,
    group: "http",
    description:
      "Bearer token HTTP clients must send (Authorization: Bearer <token> or ?token=<token>).",
  },
  {
    key: "http_allow_unauthenticated",
    type: "boolean",
    default: false,
    group: "http",
    description:
      "Unsafe: allow binding http_host to a non-loopback address without http_auth_token.",
  },
  {
    key: "allowed_hosts",
    type: "list",
    group: "http",
    description:
      "Host names (comma-separated) clients may use to reach the HTTP server, against DNS rebinding; a forwarded host from a reverse proxy must be listed too. Default: localhost, 127.0.0.1 and [::1] when bound to loopback, no check otherwise.",
  },
  {
    key: "allowed_origins",
    type: "list",
    group: "http",
    description:
      "Browser origins (comma-separated, e.g. https://app.example.com) allowed to call the HTTP server. Default: loopback origins when bound to loopback, and same-origin requests.",
  },
  {
    key: "http_stateless",
    type: "boolean",
    default: false,
    group: "http",
    description:
      "Streamable HTTP without sessions (each POST stands alone, no GET stream), for replicas behind a load balancer. The tool list is then what the settings choose: no enable_toolset, no lazy mode.",
  },
  {
    key: "http_session_idle",
    type: "integer",
    default: 1800,
    min: 10,
    max: 604800,
    group: "http",
    description:
      "Seconds after which an HTTP session (Streamable HTTP or legacy SSE) with no request is closed.",
  },
  {
    key: "http_max_sessions",
    type: "integer",
    default: 1000,
    min: 1,
    max: 100000,
    group: "http",
    description:
      "Most HTTP sessions open at once (stateless requests in flight count too); past it a new one gets 503 with Retry-After.",
  },
  {
    key: "http_max_sessions_per_client",
    type: "integer",
    default: 100,
    min: 1,
    max: 100000,
    group: "http",
    description:
      "Most HTTP sessions one client (its address and token) may hold open; past it a new one gets 503 with Retry-After. Behind a reverse proxy every client has the proxy's address.",
  },
  {
    key: "http_body_timeout",
    type: "integer",
    default: 30,
    min: 1,
    max: 3600,
    group: "http",
    description:
      "Seconds the HTTP server waits for a request body to arrive; a body that stalls is cut with 408.",
  },
  {
    key: "http_max_body_bytes",
    type: "integer",
    default: 4194304,
    min: 1024,
    max: 268435456,
    group: "http",
    description:
      "Largest request the server accepts, in bytes: an HTTP body (larger ones get 413) or a stdio line (dropped with an error).",
  },
  {
    key: "log_level",
    alias: "L",
    type: "enum",
    values: LOG_LEVELS,
    default: "info",
    group: "logging",
    description: "Log verbosity (logs go to stderr, never stdout).",
  },
  {
    key: "log_file_enable",
    type: "boolean",
    default: false,
    group: "logging",
    description: "Also write the log to a file in log_dir.",
  },
  {
    key: "log_dir",
    type: "string",
    default: "logs",
    group: "logging",
    description: "Directory of the log file.",
  },
  {
    key: "log_filename",
    type: "string",
    default: "proxmox-mcp.log",
    group: "logging",
    description: "Base name of the log file; rotated files get a date suffix.",
  },
  {
    key: "log_rotate",
    type: "enum",
    values: ["daily", "hourly", "never"],
    default: "daily",
    group: "logging",
    description: "When to start a new log file.",
  },
] as const satisfies readonly SettingDef[];

/** `token_name` → `--token-name` */
export const flagName = (def: SettingDef): string => def.key.replaceAll("_", "-");

/** `token_name` → `PROXMOX_TOKEN_NAME`, unless the setting names its own or has none. */
export function envName(def: SettingDef): string | undefined {
  if (def.env === false) return undefined;
  return def.env ?? `PROXMOX_${def.key.toUpperCase()}`;
}
