// Authentication realms (domains.cfg) and second factors, as the access API lists them.
import { fail, PveError } from "../errors.ts";
import { sectionDigest } from "../format.ts";
import { hasPriv } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";
import { checkSelfOrAudit } from "./access-user-detail.ts";
import { userid } from "./access-users.ts";

const realm = {
  type: "string",
  format: "pve-realm",
  maxLength: 32,
  description: "Authentication domain ID",
} as const;

type Factor = { id: string; type: string; description: string; created: number; enable?: number };

const entry = (f: Factor) => ({
  id: f.id,
  type: f.type,
  description: f.description,
  created: f.created,
  ...(f.enable !== undefined ? { enable: f.enable } : {}),
});

function factorsOf(mock: MockContext, id: string): Factor[] {
  if (!mock.state.users.has(id)) throw fail(`no such user ('${id}')`);
  return mock.state.dc.objects.tfa.get(id) ?? [];
}

export const accessRealmRoutes: Route[] = [
  {
    method: "GET",
    path: "/access/domains",
    description: "Authentication domain index.",
    permission: "world",
    parameters: {},
    handler: ({ mock }) =>
      [...mock.state.dc.objects.realms.entries()].map(([id, r]) => ({
        realm: id,
        type: String(r.type),
        ...(r.comment ? { comment: r.comment } : {}),
        ...(r.default ? { default: 1 } : {}),
      })),
  },
  {
    method: "GET",
    path: "/access/domains/{realm}",
    description: "Get auth server configuration.",
    permission: [{ path: "/access/domains", privs: ["Realm.Allocate", "Sys.Audit"], any: true }],
    parameters: { realm },
    handler: ({ mock, params }) => {
      const r = mock.state.dc.objects.realms.get(String(params.realm));
      if (!r) throw fail(`domain '${params.realm}' does not exist`);
      return { ...r, digest: sectionDigest(mock.state.dc.objects.realms.entries()) };
    },
  },
  {
    method: "GET",
    path: "/access/tfa",
    description: "List TFA configurations of users.",
    permission: "all",
    parameters: {},
    handler: ({ mock, who }) => {
      const all = hasPriv(mock.state, who, "/access/users", ["User.Modify", "Sys.Audit"], true);
      return [...mock.state.dc.objects.tfa.entries()]
        .filter(([id]) => all || id === who.userid)
        .map(([id, factors]) => ({ userid: id, entries: factors.map(entry) }));
    },
  },
  {
    method: "GET",
    path: "/access/tfa/{userid}",
    description: "List TFA configurations of users.",
    permission: "all",
    parameters: { userid },
    handler: ({ mock, params, who }) => {
      const id = String(params.userid);
      checkSelfOrAudit(mock, who, id, "/access/users");
      return factorsOf(mock, id).map(entry);
    },
  },
  {
    method: "GET",
    path: "/access/tfa/{userid}/{id}",
    description: "Fetch a requested TFA entry if present.",
    permission: "all",
    parameters: { userid, id: { type: "string", description: "A TFA entry id." } },
    handler: ({ mock, params, who }) => {
      const id = String(params.userid);
      checkSelfOrAudit(mock, who, id, "/access/users");
      const f = factorsOf(mock, id).find((x) => x.id === params.id);
      // The one 404 of the API (REALITIES §1).
      if (!f) throw new PveError(404, "TFA entry not found");
      return entry(f);
    },
  },
];
