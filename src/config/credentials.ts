// Credentials as people paste them: PVE prints a new API token as `USER@REALM!TOKENID` with its
// secret beside it, and curl examples carry `PVEAPIToken=USER@REALM!TOKENID=SECRET`. Any of these
// forms in user or api_token becomes user + token_name + token_value here. Every message names
// the setting it is about, never its value: a value here may hold a secret.

import { ConfigError } from "./config-error.ts";

export interface Credentials {
  user?: string;
  token_name?: string;
  token_value?: string;
  api_token?: string;
  password?: string;
}

/** Where a setting's value came from, e.g. `--user`, `PROXMOX_USER`, `config.toml: user`. */
export type SourceOf = (key: keyof Credentials) => string;

interface TokenParts {
  user: string;
  tokenName?: string;
  secret?: string;
}

const USER = /^[^@\s!=:]+@[^@\s!=:]+$/;
const TOKEN_NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** `[PVEAPIToken=]USER@REALM[!TOKENID[=SECRET]]`, split at the first `!` and the first `=` after it. */
export function splitToken(text: string): TokenParts {
  const bare = text.trim().replace(/^PVEAPIToken[=\s]/i, "");
  const bang = bare.indexOf("!");
  if (bang < 0) return { user: bare };
  const rest = bare.slice(bang + 1);
  const eq = rest.indexOf("=");
  return eq < 0
    ? { user: bare.slice(0, bang), tokenName: rest }
    : { user: bare.slice(0, bang), tokenName: rest.slice(0, eq), secret: rest.slice(eq + 1) };
}

/** Sets `key` to `value` unless it already holds another: then both settings are named. */
function merge(
  taken: Map<string, string>,
  s: Credentials,
  key: "user" | "token_name" | "token_value",
  value: string | undefined,
  from: string,
  sourceOf: SourceOf,
  problems: string[],
): void {
  if (value === undefined || value === "") return;
  const current = s[key];
  if (current === undefined || current === "") {
    s[key] = value;
    taken.set(key, from);
  } else if (current !== value) {
    problems.push(`${from} and ${sourceOf(key)} disagree about the ${label[key]}: give it once`);
  }
}

const label = {
  user: "user",
  token_name: "token id",
  token_value: "token secret",
} as const;

/**
 * Resolves the token forms into user, token_name and token_value (in place), then checks the
 * whole. Throws a ConfigError listing every problem; nothing is sent before this passes.
 */
export function resolveCredentials(s: Credentials, given: SourceOf): void {
  const problems: string[] = [];
  // A value split out of user or api_token is reported as coming from there.
  const taken = new Map<string, string>();
  const sourceOf: SourceOf = (key) => taken.get(key) ?? given(key);
  if (s.api_token) {
    const t = splitToken(s.api_token);
    const from = sourceOf("api_token");
    if (!USER.test(t.user) || !t.tokenName || !t.secret) {
      problems.push(`${from} must be USER@REALM!TOKENID=SECRET (as PVE shows a new token)`);
    } else {
      merge(taken, s, "user", t.user, from, sourceOf, problems);
      merge(taken, s, "token_name", t.tokenName, from, sourceOf, problems);
      merge(taken, s, "token_value", t.secret, from, sourceOf, problems);
    }
  }
  if (s.user?.includes("!")) {
    const t = splitToken(s.user);
    const from = sourceOf("user");
    s.user = t.user;
    merge(taken, s, "token_name", t.tokenName, from, sourceOf, problems);
    merge(taken, s, "token_value", t.secret, from, sourceOf, problems);
  }
  if (s.user !== undefined && !USER.test(s.user)) {
    problems.push(
      `${sourceOf("user")} must be USER@REALM (e.g. root@pam), or USER@REALM!TOKENID=SECRET for a token`,
    );
  }
  if (s.token_name && !TOKEN_NAME.test(s.token_name)) {
    problems.push(
      `${sourceOf("token_name")} is the token id alone (letters, digits, . _ -; "mcp" in root@pam!mcp)`,
    );
  }
  if (s.token_name && !s.token_value) {
    problems.push(`${sourceOf("token_name")} is set but no token secret (token_value) is`);
  }
  if (s.token_value && !s.token_name) {
    problems.push(`${sourceOf("token_value")} is set but no token id (token_name) is`);
  }
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
}
