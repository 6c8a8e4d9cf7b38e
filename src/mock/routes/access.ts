// POST /access/ticket (login and renewal), GET /access/ticket, GET /version.
import { PveError } from "../errors.ts";
import { capabilities, hasPriv } from "../perms.ts";
import type { Route } from "../router.ts";

const authFailure = (): PveError => new PveError(401, "authentication failure");

export const accessRoutes: Route[] = [
  {
    method: "GET",
    path: "/access/ticket",
    description: "Dummy. Useful for formatters which want to provide a login page.",
    parameters: {},
    permission: "world",
    handler: () => null,
  },
  {
    method: "POST",
    path: "/access/ticket",
    description: "Create or verify authentication ticket.",
    permission: "world",
    parameters: {
      username: { type: "string", maxLength: 64, description: "User name" },
      password: {
        type: "string",
        description: "The secret password. This can also be a valid ticket.",
      },
      realm: {
        type: "string",
        optional: true,
        format: "pve-realm",
        maxLength: 32,
        description: "You can optionally pass the realm using this parameter.",
      },
      otp: {
        type: "string",
        optional: true,
        description: "One-time password for Two-factor authentication.",
      },
      "tfa-challenge": {
        type: "string",
        optional: true,
        description: "The signed TFA challenge string the user wants to respond to.",
      },
      "new-format": {
        type: "boolean",
        optional: true,
        default: 1,
        description: "This parameter is now ignored and assumed to be 1.",
      },
      path: {
        type: "string",
        optional: true,
        maxLength: 64,
        description: "Verify ticket, and check if user have access 'privs' on 'path'",
      },
      privs: {
        type: "string",
        optional: true,
        maxLength: 64,
        description: "Verify ticket, and check if user have access 'privs' on 'path'",
      },
    },
    handler: ({ mock, params }) => {
      let username = String(params.username);
      if (typeof params.realm === "string" && !username.includes("@")) {
        username = `${username}@${params.realm}`;
      }
      const password = String(params.password);
      // Renewal: the current ticket instead of the password (root@pam may renew for others).
      const renewing = password.startsWith("PVE:") ? mock.auth.verifyTicket(password) : undefined;
      const ok = renewing
        ? renewing.userid === username || renewing.userid === "root@pam"
        : mock.auth.checkPassword(username, password);
      if (!ok) throw authFailure();
      const who = { userid: username };
      if (typeof params.path === "string" && typeof params.privs === "string") {
        // Ticket verification with a privilege check answers null or 401.
        const privs = params.privs.split(/[,;\s]+/).filter((p) => p !== "");
        if (!hasPriv(mock.state, who, params.path, privs)) throw authFailure();
        return null;
      }
      const { ticket, csrf } = mock.auth.issueTicket(username);
      return {
        username,
        ticket,
        CSRFPreventionToken: csrf,
        // Only in a cluster and only with Sys.Audit on "/".
        ...(hasPriv(mock.state, who, "/", ["Sys.Audit"])
          ? { clustername: mock.state.clusterName }
          : {}),
        cap: capabilities(mock.state, who),
      };
    },
  },
  {
    method: "GET",
    path: "/version",
    description: "API version details, including some parts of the global datacenter config.",
    parameters: {},
    permission: "all",
    handler: ({ mock }) => ({ ...mock.state.version }),
  },
];
