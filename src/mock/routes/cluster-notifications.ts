// notifications.cfg as the API reads it: endpoints (sendmail, gotify, smtp, webhook), targets,
// matchers and the fields a matcher may match on.

import type { Section } from "../datacenter-objects.ts";
import { fail } from "../errors.ts";
import { sectionDigest } from "../format.ts";
import { splitList } from "../formats/index.ts";
import type { MockContext, Route } from "../router.ts";

const KINDS = ["sendmail", "gotify", "smtp", "webhook"] as const;
const audit = [
  { path: "/mapping/notifications", privs: ["Mapping.Audit", "Mapping.Modify"], any: true },
];
const name = {
  type: "string",
  format: "pve-configid",
  description: "Name of the endpoint.",
} as const;

/** Options that hold lists (mailto, target, match-*) answer as arrays. */
const LISTS = new Set([
  "mailto",
  "mailto-user",
  "header",
  "secret",
  "target",
  "match-field",
  "match-severity",
  "match-calendar",
]);
/** Secrets never leave: a webhook's secrets answer by name only, tokens and passwords not at all. */
const HIDDEN = new Set(["token", "password"]);

function view(section: Section, withOrigin: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section)) {
    if (key === "type" || HIDDEN.has(key) || (key === "origin" && !withOrigin)) continue;
    out[key] = LISTS.has(key) ? splitList(value) : value;
  }
  if (withOrigin) out.origin ??= "user-created";
  return out;
}

function endpoints(mock: MockContext, kind: string) {
  return [...mock.state.dc.objects.notificationEndpoints.entries()].filter(
    ([, e]) => e.type === kind,
  );
}

const endpointRoutes: Route[] = KINDS.flatMap((kind): Route[] => [
  {
    method: "GET",
    path: `/cluster/notifications/endpoints/${kind}`,
    description: `Returns a list of all ${kind} endpoints`,
    permission: audit,
    parameters: {},
    handler: ({ mock }) => endpoints(mock, kind).map(([id, e]) => ({ name: id, ...view(e, true) })),
  },
  {
    method: "GET",
    path: `/cluster/notifications/endpoints/${kind}/{name}`,
    description: `Return a specific ${kind} endpoint`,
    permission: audit,
    parameters: { name },
    handler: ({ mock, params }) => {
      const found = endpoints(mock, kind).find(([id]) => id === params.name);
      if (!found) throw fail(`endpoint '${params.name}' does not exist`);
      const digest = sectionDigest(mock.state.dc.objects.notificationEndpoints.entries());
      return { name: found[0], ...view(found[1], false), digest };
    },
  },
]);

export const clusterNotificationRoutes: Route[] = [
  ...endpointRoutes,
  {
    method: "GET",
    path: "/cluster/notifications/targets",
    description: "Returns a list of all entities that can be used as notification targets.",
    permission: "all",
    parameters: {},
    handler: ({ mock }) =>
      [...mock.state.dc.objects.notificationEndpoints.entries()].map(([id, e]) => ({
        name: id,
        type: String(e.type),
        origin: String(e.origin ?? "user-created"),
        ...(e.comment ? { comment: e.comment } : {}),
        ...(e.disable ? { disable: 1 } : {}),
      })),
  },
  {
    method: "GET",
    path: "/cluster/notifications/matchers",
    description: "Returns a list of all matchers",
    permission: audit,
    parameters: {},
    handler: ({ mock }) =>
      [...mock.state.dc.objects.notificationMatchers.entries()].map(([id, m]) => ({
        name: id,
        ...view(m, true),
      })),
  },
  {
    method: "GET",
    path: "/cluster/notifications/matchers/{name}",
    description: "Return a specific matcher",
    permission: audit,
    parameters: { name: { ...name, description: "Name of the matcher." } },
    handler: ({ mock, params }) => {
      const m = mock.state.dc.objects.notificationMatchers.get(String(params.name));
      if (!m) throw fail(`matcher '${params.name}' does not exist`);
      const digest = sectionDigest(mock.state.dc.objects.notificationMatchers.entries());
      return { name: params.name, ...view(m, false), digest };
    },
  },
  {
    method: "GET",
    path: "/cluster/notifications/matcher-fields",
    description: "Returns known notification metadata fields",
    permission: audit,
    parameters: {},
    handler: () => ["type", "hostname", "job-id"].map((field) => ({ name: field })),
  },
  {
    method: "GET",
    path: "/cluster/notifications/matcher-field-values",
    description: "Returns known notification metadata fields and their known values",
    permission: audit,
    parameters: {},
    handler: ({ mock }) => [
      ...["package-updates", "fencing", "replication", "vzdump", "system-mail"].map((value) => ({
        field: "type",
        value,
      })),
      ...[...mock.state.nodes.keys()].map((value) => ({ field: "hostname", value })),
      ...[...mock.state.dc.objects.backupJobs.entries()].map(([value, job]) => ({
        field: "job-id",
        value,
        ...(job.comment ? { comment: String(job.comment) } : {}),
      })),
    ],
  },
];
