// ACME: DNS/standalone plugins, accounts, the known CA directories and their terms. The
// simulated cluster knows the Let's Encrypt directories' metadata without going online.
import { fail } from "../errors.ts";
import { sectionDigest } from "../format.ts";
import type { Route } from "../router.ts";

const LE = "https://acme-v02.api.letsencrypt.org/directory";
const LE_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";
const TOS = "https://letsencrypt.org/documents/LE-SA-v1.5-February-24-2025.pdf";
const DIRECTORIES = [
  { name: "Let's Encrypt V2", url: LE },
  { name: "Let's Encrypt V2 Staging", url: LE_STAGING },
];

const directory = {
  type: "string",
  optional: true,
  pattern: "^https?://.*",
  default: LE,
  description: "URL of ACME CA directory endpoint.",
} as const;

/** What the CA's directory says about itself: known for Let's Encrypt, unreachable otherwise. */
function meta(url: string) {
  if (url !== LE && url !== LE_STAGING) {
    throw fail(`Can't connect to ${new URL(url).host}:443 (Name or service not known)`);
  }
  return {
    termsOfService: TOS,
    website: "https://letsencrypt.org",
    caaIdentities: ["letsencrypt.org"],
  };
}

export const clusterAcmeRoutes: Route[] = [
  {
    method: "GET",
    path: "/cluster/acme/plugins",
    description: "ACME plugin index.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: {
      type: {
        type: "string",
        optional: true,
        enum: ["dns", "standalone"],
        description: "Only list ACME plugins of a specific type",
      },
    },
    handler: ({ mock, params }) =>
      [...mock.state.dc.objects.acmePlugins.entries()]
        .filter(([, p]) => params.type === undefined || p.type === params.type)
        .map(([id, p]) => ({ plugin: id, ...p })),
  },
  {
    method: "GET",
    path: "/cluster/acme/plugins/{id}",
    description: "Get ACME plugin configuration.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: {
      id: {
        type: "string",
        format: "pve-configid",
        description: "Unique identifier for ACME plugin instance.",
      },
    },
    handler: ({ mock, params }) => {
      const p = mock.state.dc.objects.acmePlugins.get(String(params.id));
      if (!p) throw fail(`ACME plugin '${params.id}' not defined`);
      return {
        plugin: params.id,
        ...p,
        digest: sectionDigest(mock.state.dc.objects.acmePlugins.entries()),
      };
    },
  },
  {
    method: "GET",
    path: "/cluster/acme/account",
    description: "ACMEAccount index.",
    permission: "all",
    parameters: {},
    handler: ({ mock }) => [...mock.state.dc.objects.acmeAccounts.keys()].map((name) => ({ name })),
  },
  {
    method: "GET",
    path: "/cluster/acme/account/{name}",
    description: "Return existing ACME account information.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: {
      name: {
        type: "string",
        format: "pve-configid",
        description: "ACME account config file name.",
      },
    },
    handler: ({ mock, params }) => {
      const a = mock.state.dc.objects.acmeAccounts.get(String(params.name));
      if (!a) throw fail(`ACME account config file '${params.name}' does not exist.`);
      return {
        directory: a.directory,
        location: a.location,
        ...(a.tos ? { tos: a.tos } : {}),
        account: { status: "valid", contact: [...a.contact], createdAt: "2025-11-02T09:12:44Z" },
      };
    },
  },
  {
    method: "GET",
    path: "/cluster/acme/directories",
    description: "Get named known ACME directory endpoints.",
    permission: "all",
    parameters: {},
    handler: () => DIRECTORIES.map((d) => ({ ...d })),
  },
  {
    method: "GET",
    path: "/cluster/acme/tos",
    description:
      "Retrieve ACME TermsOfService URL from CA. Deprecated, please use /cluster/acme/meta.",
    permission: "all",
    parameters: { directory },
    handler: ({ params }) => meta(String(params.directory ?? LE)).termsOfService,
  },
  {
    method: "GET",
    path: "/cluster/acme/meta",
    description: "Retrieve ACME Directory Meta Information",
    permission: "all",
    parameters: { directory },
    handler: ({ params }) => meta(String(params.directory ?? LE)),
  },
  {
    method: "GET",
    path: "/cluster/acme/challenge-schema",
    description: "Get schema of ACME challenge types.",
    permission: "all",
    parameters: {},
    // acme.sh's DNS API plugins: a few of the most used ones, with their settings.
    handler: () =>
      [
        ["cf", "Cloudflare Managed DNS", ["CF_Token", "CF_Account_ID", "CF_Zone_ID"]],
        ["hetzner", "Hetzner", ["HETZNER_Token"]],
        ["ovh", "OVH", ["OVH_AK", "OVH_AS", "OVH_CK", "OVH_END_POINT"]],
        ["aws", "Amazon Route53 (AWS)", ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]],
      ].map(([id, name, fields]) => ({
        id,
        name,
        type: "dns",
        schema: {
          fields: Object.fromEntries((fields as string[]).map((f) => [f, { type: "string" }])),
          name,
        },
      })),
  },
];
