import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import {
  ConfigError,
  envName,
  flagName,
  loadSettings,
  parseFlags,
  SETTINGS,
  type SettingDef,
} from "../src/config/index.ts";
import { originOf } from "../src/pve/from-settings.ts";

const dir = () => mkdtempSync(join(tmpdir(), "pmcp-config-"));

/** The message of the ConfigError `fn` throws. */
function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
}

function withFile(toml: string): string {
  const d = dir();
  writeFileSync(join(d, "config.toml"), toml);
  return d;
}

describe("settings precedence", () => {
  test("defaults apply when nothing is given", () => {
    const s = loadSettings({}, {}, dir());
    expect(s.port).toBe(8006);
    expect(s.server_type).toBe("stdio");
    expect(s.http_port).toBe(3000);
    expect(s.log_rotate).toBe("daily");
    expect(s.no_verify_ssl).toBe(false);
    expect(s.host).toBeUndefined();
  });

  test("flags > env > ./config.toml > defaults", () => {
    const cwd = withFile(
      'host = "file-host"\nport = 8100\nuser = "file@pve"\nlog_level = "debug"\n',
    );
    const env = { PROXMOX_PORT: "8200", PROXMOX_USER: "env@pve" };
    const s = loadSettings({ user: "flag@pam" }, env, cwd);
    expect(s.user).toBe("flag@pam");
    expect(s.port).toBe(8200);
    expect(s.host).toBe("file-host");
    expect(s.log_level).toBe("debug");
  });

  test("--config and PROXMOX_CONFIG choose the file; --config wins", () => {
    const a = withFile('host = "a"\n');
    const b = withFile('host = "b"\n');
    const env = { PROXMOX_CONFIG: join(b, "config.toml") };
    expect(loadSettings({}, env, dir()).host).toBe("b");
    expect(loadSettings({ config: join(a, "config.toml") }, env, dir()).host).toBe("a");
  });

  test("an explicit config file that does not exist is an error", () => {
    expect(() => loadSettings({ config: "/nonexistent/x.toml" }, {}, dir())).toThrow(
      "config file not found",
    );
  });

  test("boolean flags: -k / --no-verify-ssl, env true/1/yes, citty negation", () => {
    expect(loadSettings({ "no-verify-ssl": true }, {}, dir()).no_verify_ssl).toBe(true);
    expect(loadSettings({ "verify-ssl": false }, {}, dir()).no_verify_ssl).toBe(true);
    for (const v of ["true", "1", "yes", "ON"]) {
      expect(loadSettings({}, { PROXMOX_NO_VERIFY_SSL: v }, dir()).no_verify_ssl).toBe(true);
    }
    expect(loadSettings({}, { PROXMOX_LAZY_MODE: "false" }, dir()).lazy_mode).toBe(false);
  });

  test("a user written as user@realm!token is split into user and token name", () => {
    const s = loadSettings({ user: "root@pam!mcp", "token-value": "secret-uuid" }, {}, dir());
    expect(s.user).toBe("root@pam");
    expect(s.token_name).toBe("mcp");
  });
});

describe("rejection of bad settings", () => {
  test("unknown config key names the key and the known ones", () => {
    const m = message(() => loadSettings({}, {}, withFile('hots = "x"\n')));
    expect(m).toContain('unknown key "hots"');
    expect(m).toContain("known keys: host, port");
  });

  test("kebab-case key suggests the snake_case one", () => {
    const m = message(() => loadSettings({}, {}, withFile("no-verify-ssl = true\n")));
    expect(m).toContain("did you mean no_verify_ssl?");
  });

  test("bad enum value lists the allowed values, naming the source", () => {
    expect(message(() => loadSettings({ "server-type": "ws" }, {}, dir()))).toBe(
      '--server-type: expected one of: stdio, http, got "ws"',
    );
    expect(message(() => loadSettings({}, { PROXMOX_LOG_LEVEL: "loud" }, dir()))).toContain(
      "PROXMOX_LOG_LEVEL: expected one of: error, warn, info, debug, trace",
    );
  });

  test("bad numbers and ranges", () => {
    expect(message(() => loadSettings({ port: "abc" }, {}, dir()))).toContain(
      '--port: expected an integer, got "abc"',
    );
    expect(message(() => loadSettings({}, { PROXMOX_PORT: "70000" }, dir()))).toContain(
      "PROXMOX_PORT: must be at most 65535",
    );
    expect(message(() => loadSettings({}, {}, withFile('port = "8006"\n')))).toContain(
      "port: expected an integer",
    );
  });

  test("bad boolean from env", () => {
    expect(message(() => loadSettings({}, { PROXMOX_NO_VERIFY_SSL: "maybe" }, dir()))).toContain(
      "PROXMOX_NO_VERIFY_SSL: expected true or false",
    );
  });

  test("secret values are never echoed in errors", () => {
    const m = message(() => loadSettings({}, {}, withFile("token_value = 12345678\n")));
    expect(m).toContain("token_value");
    expect(m).not.toContain("12345678");
  });

  test("token mistakes are caught before any request, naming the setting", () => {
    expect(
      message(() =>
        loadSettings({ user: "root", "token-name": "x", "token-value": "y" }, {}, dir()),
      ),
    ).toContain("--user must be USER@REALM");
    expect(
      message(() => loadSettings({ user: "root@pam", "token-name": "mcp" }, {}, dir())),
    ).toContain("--token-name is set but no token secret (token_value) is");
    expect(
      message(() => loadSettings({}, { PROXMOX_TOKEN_VALUE: "s", PROXMOX_USER: "a@pve" }, dir())),
    ).toContain("PROXMOX_TOKEN_VALUE is set but no token id (token_name) is");
    expect(
      message(() =>
        loadSettings(
          { user: "root@pam", "token-name": "root@pam!mcp", "token-value": "s" },
          {},
          dir(),
        ),
      ),
    ).toContain("--token-name is the token id alone");
  });

  test("invalid TOML names the file and the line, never quoting it (it may hold a secret)", () => {
    expect(message(() => loadSettings({}, {}, withFile("host = \n")))).toContain("not valid TOML");
    const m = message(() =>
      loadSettings({}, {}, withFile('host = "x"\ntoken_value = 5f0e8a3c-4b6d-SECRET\n')),
    );
    expect(m).toContain("(line 2, key token_value)");
    expect(m).not.toContain("SECRET");
  });

  test("unknown CLI flags and stray words are refused; aliases and --no- forms parse", () => {
    expect(() => parseFlags(["--bogus"])).toThrow("unknown option --bogus");
    expect(() => parseFlags(["--hots", "x"])).toThrow("(did you mean --host?)");
    expect(() => parseFlags(["-Z"])).toThrow("unknown option -Z");
    expect(() => parseFlags(["serve"])).toThrow("proxmox-mcp takes flags only");
    expect(() => parseFlags(["--bogus"])).toThrow(ConfigError);
    expect(() => parseFlags(["--host"])).toThrow("--host needs a value");
    expect(() => parseFlags(["--host", "-k"])).toThrow("--host needs a value");
    expect(parseFlags(["--password", "-not-a-flag"])).toEqual({ password: "-not-a-flag" });
    expect(() => parseFlags(["--demo=yes"])).toThrow("--demo is a switch and takes no value");
    const flags = parseFlags([
      "--host",
      "h",
      "-p",
      "8006",
      "-k",
      "--no-lazy-mode",
      "--demo",
      "-Lwarn",
      "--no-confirm",
    ]);
    expect(flags).toEqual({
      host: "h",
      port: "8006",
      "no-verify-ssl": true,
      "lazy-mode": false,
      demo: true,
      "log-level": "warn",
      "no-confirm": true,
    });
    // Seed flags that are negative by name parse as themselves, not as a negation.
    expect(parseFlags(["--no-verify-ssl", "--read-only"])).toEqual({
      "no-verify-ssl": true,
      "read-only": true,
    });
    const s = loadSettings(flags, {}, dir());
    expect(s).toMatchObject({
      host: "h",
      port: 8006,
      no_verify_ssl: true,
      lazy_mode: false,
      log_level: "warn",
    });
  });
});

describe("every seed flag, env var and key exists", () => {
  // From the Rust seed's interface (DESIGN.md): flag, short alias, env var.
  const seed: [string, string | undefined, string | undefined][] = [
    ["config", "c", "PROXMOX_CONFIG"],
    ["host", "H", "PROXMOX_HOST"],
    ["port", "p", "PROXMOX_PORT"],
    ["user", "u", "PROXMOX_USER"],
    ["password", "P", "PROXMOX_PASSWORD"],
    ["token-name", "n", "PROXMOX_TOKEN_NAME"],
    ["token-value", "v", "PROXMOX_TOKEN_VALUE"],
    ["no-verify-ssl", "k", "PROXMOX_NO_VERIFY_SSL"],
    ["log-level", "L", "PROXMOX_LOG_LEVEL"],
    ["log-file-enable", undefined, undefined],
    ["log-dir", undefined, undefined],
    ["log-filename", undefined, undefined],
    ["log-rotate", undefined, undefined],
    ["server-type", "t", "PROXMOX_SERVER_TYPE"],
    ["http-host", undefined, undefined],
    ["http-port", "l", undefined],
    ["http-auth-token", undefined, "PROXMOX_HTTP_AUTH_TOKEN"],
    ["lazy-mode", undefined, undefined],
  ];
  for (const [flag, alias, env] of seed) {
    test(`--${flag}`, () => {
      const def = (SETTINGS as readonly SettingDef[]).find((d) => flagName(d) === flag);
      expect(def).toBeDefined();
      if (alias) expect(def?.alias).toBe(alias);
      if (env && def) expect(envName(def)).toBe(env);
    });
  }
});

describe("config.toml.example", () => {
  const text = readFileSync(join(import.meta.dir, "..", "config.toml.example"), "utf8");

  test("documents every config key, and uncommented it is a valid config", () => {
    for (const def of SETTINGS as readonly SettingDef[]) {
      if (def.cliOnly) continue;
      expect(text).toContain(`# ${def.key} = `);
    }
    // ca_file names a file of a PVE host, which this machine need not have.
    const uncommented = text.replace(/^# (\w+ = .*)$/gm, "$1").replace(/^ca_file = .*$/m, "");
    const values = parseToml(uncommented);
    const d = dir();
    writeFileSync(join(d, "config.toml"), uncommented);
    const s = loadSettings({}, {}, d);
    expect(s.host).toBe(values.host as string);
  });
});

describe("tokens as PVE prints them", () => {
  const SECRET = "5f3c9a2e-1111-2222-3333-444455556666";

  test("--user USER@REALM!TOKENID=SECRET is user, token id and secret in one", () => {
    const s = loadSettings({ user: `root@pam!mcp=${SECRET}` }, {}, dir());
    expect(s).toMatchObject({ user: "root@pam", token_name: "mcp", token_value: SECRET });
  });

  test("PROXMOX_USER=USER@REALM!TOKENID works with the token id also in the config file", () => {
    const cwd = withFile('token_name = "mcp"\n');
    const s = loadSettings({}, { PROXMOX_USER: "root@pam!mcp", PROXMOX_TOKEN_VALUE: SECRET }, cwd);
    expect(s).toMatchObject({ user: "root@pam", token_name: "mcp", token_value: SECRET });
  });

  test("PROXMOX_API_TOKEN, also with PVE's PVEAPIToken= header prefix", () => {
    for (const token of [`mcp@pve!ci=${SECRET}`, `PVEAPIToken=mcp@pve!ci=${SECRET}`]) {
      const s = loadSettings({}, { PROXMOX_API_TOKEN: token }, dir());
      expect(s).toMatchObject({ user: "mcp@pve", token_name: "ci", token_value: SECRET });
    }
  });

  test("the same fact given twice in agreement is fine; in disagreement both settings are named", () => {
    const agreeing = loadSettings(
      { user: "root@pam", "token-name": "mcp" },
      { PROXMOX_API_TOKEN: `root@pam!mcp=${SECRET}` },
      dir(),
    );
    expect(agreeing.token_value).toBe(SECRET);
    expect(
      message(() =>
        loadSettings(
          { "token-value": "another" },
          { PROXMOX_API_TOKEN: `a@pve!x=${SECRET}` },
          dir(),
        ),
      ),
    ).toBe("PROXMOX_API_TOKEN and --token-value disagree about the token secret: give it once");
  });

  test("no error about credentials ever shows a secret, whatever was mistyped", () => {
    const attempts: [Record<string, unknown>, Record<string, string>][] = [
      [{ user: `root@pam!mcp=${SECRET}`, "token-value": "other-secret-value" }, {}],
      [{ user: `rootpam!mcp=${SECRET}` }, {}],
      [{ user: `root@pam!m c p=${SECRET}` }, {}],
      [{}, { PROXMOX_API_TOKEN: SECRET }],
      [{}, { PROXMOX_API_TOKEN: `root@pam=${SECRET}` }],
      [{ user: `root@pam=${SECRET}` }, {}],
      [{ "token-value": SECRET }, {}],
      [{ password: SECRET, user: `x=${SECRET}` }, {}],
    ];
    for (const [flags, env] of attempts) {
      const m = message(() => loadSettings(flags, env, dir()));
      expect(m).not.toContain(SECRET);
      expect(m).not.toContain("other-secret-value");
      expect(m).toMatch(/--user|--token-value|PROXMOX_API_TOKEN|--token-name/);
    }
  });

  test("a secret typed where a flag was expected is not echoed by the parser", () => {
    for (const args of [["-k", SECRET], [`--token-valeu=${SECRET}`], ["--demo", SECRET]]) {
      const m = message(() => parseFlags(args));
      expect(m).not.toContain(SECRET);
    }
  });
});

describe("files named by settings are checked at start", () => {
  test("a missing CA file is named as the setting, not a raw ENOENT", () => {
    const m = message(() =>
      loadSettings(
        { user: "root@pam", password: "p", "ca-file": "/nonexistent/ca.pem" },
        {},
        dir(),
      ),
    );
    expect(m).toBe("--ca-file: cannot read /nonexistent/ca.pem: no such file");
  });

  test("a CA file that is not PEM says so and where PVE keeps its CA", () => {
    const d = dir();
    writeFileSync(join(d, "ca.pem"), "not a certificate\n");
    const m = message(() => loadSettings({}, { PROXMOX_CA_FILE: join(d, "ca.pem") }, d));
    expect(m).toContain("PROXMOX_CA_FILE:");
    expect(m).toContain("is not a PEM certificate");
    expect(m).toContain("/etc/pve/pve-root-ca.pem");
  });
});

describe("the host setting", () => {
  test("host:port and [v6]:port carry their port; a bare IPv6 address gets brackets", () => {
    expect(originOf("pve.example.com", 8006)).toBe("https://pve.example.com:8006");
    expect(originOf("127.0.0.1:43273", 8006)).toBe("https://127.0.0.1:43273");
    expect(originOf("[fd00::1]:8443", 8006)).toBe("https://[fd00::1]:8443");
    expect(originOf("fd00::1", 8006)).toBe("https://[fd00::1]:8006");
    expect(originOf("https://pve:8443/", 8006)).toBe("https://pve:8443");
  });
});
