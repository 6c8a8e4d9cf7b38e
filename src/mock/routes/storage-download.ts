// download-url: a node fetches a file (ISO, template, importable disk) with wget, as a task.
import { createHash } from "node:crypto";
import { fail, PveError, paramError, TaskFailure } from "../errors.ts";
import { logTime } from "../format.ts";
import { node, storage } from "../params.ts";
import { hasPriv, type Principal } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";
import type { MockVolume } from "../state.ts";
import { spread } from "../tasks.ts";
import { enabledStorage, volumesOn } from "./storage-files.ts";

const MiB = 2 ** 20;
const CONTENT_DIRS: Record<string, string> = {
  iso: "template/iso",
  vztmpl: "template/cache",
  import: "import",
};

/** What the simulated server sends for a URL: deterministic bytes, hence a known checksum. */
export function downloadedChecksum(url: string, algorithm: string): string {
  return createHash(algorithm).update(`mock-download:${url}`).digest("hex");
}

function downloadSize(url: string, content: string): number {
  const h = createHash("sha1").update(url).digest().readUInt32BE(0);
  return content === "iso"
    ? (600 + (h % 900)) * MiB + (h % 4096)
    : (90 + (h % 120)) * MiB + (h % 4096);
}

/** wget --progress=dot:giga: one line per 32 MiB, the percent and speed at its end. */
function wgetLines(url: string, dest: string, size: number, pid: number): string[] {
  const now = Date.now();
  const tmp = `${dest}.tmp_dwnl.${pid}`;
  const host = new URL(url).hostname;
  const lines = [
    `--${logTime(now)}--  ${url}`,
    `Resolving ${host} (${host})... 212.224.123.70`,
    `Connecting to ${host} (${host})|212.224.123.70|:${url.startsWith("https") ? 443 : 80}... connected.`,
    "HTTP request sent, awaiting response... 200 OK",
    `Length: ${size} (${Math.round(size / MiB)}M) [application/octet-stream]`,
    `Saving to: '${tmp}'`,
    "",
  ];
  const chunk = 32 * MiB;
  for (let done = 0; done < size; done += chunk) {
    const part = Math.min(chunk, size - done);
    const dots = Math.ceil(part / MiB);
    const groups = Array.from({ length: Math.ceil(dots / 8) }, (_, g) =>
      ".".repeat(Math.min(8, dots - g * 8)),
    ).join(" ");
    const pct = Math.floor(((done + part) / size) * 100);
    const last = done + part >= size;
    lines.push(
      `${String(done / 1024).padStart(7)}K ${groups.padEnd(35)} ${String(pct).padStart(3)}% ${last ? "8.16M=22s" : "10.6M 10s"}`,
    );
  }
  lines.push("", `${logTime(now + 22000)} (6.22 MB/s) - '${tmp}' saved [${size}/${size}]`, "");
  return lines;
}

const downloadParams = {
  node,
  storage,
  url: {
    type: "string",
    pattern: "https?://.*",
    description: "The URL to download the file from.",
  },
  filename: {
    type: "string",
    maxLength: 255,
    description: "The name of the file to create. Caution: This will be normalized!",
  },
  content: {
    type: "string",
    enum: ["iso", "vztmpl", "import"],
    format: "pve-storage-content",
    description: "Content type.",
  },
  checksum: { type: "string", optional: true, description: "The expected checksum of the file." },
  "checksum-algorithm": {
    type: "string",
    optional: true,
    enum: ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"],
    description: "The algorithm to calculate the checksum of the file.",
  },
  compression: {
    type: "string",
    optional: true,
    description: "Decompress the downloaded file using the specified compression algorithm.",
  },
  "verify-certificates": {
    type: "boolean",
    optional: true,
    default: 1,
    description: "If false, no SSL/TLS certificates will be verified.",
  },
} as const;

function startDownload(mock: MockContext, params: Record<string, unknown>, who: Principal): string {
  const nodeName = String(params.node);
  // The second half of the permission check: probing the host's network needs either of these.
  if (
    !hasPriv(mock.state, who, "/", ["Sys.Audit", "Sys.Modify"]) &&
    !hasPriv(mock.state, who, `/nodes/${nodeName}`, ["Sys.AccessNetwork"])
  ) {
    throw new PveError(403, "Permission check failed");
  }
  const s = enabledStorage(mock, String(params.storage), nodeName);
  if (!s.path) throw fail(`can't upload to storage type '${s.type}', not a file based storage!`);
  const content = String(params.content);
  if (!s.content.includes(content)) {
    throw fail(`storage '${s.storage}' is not configured for content-type '${content}'`);
  }
  const filename = String(params.filename)
    .trim()
    .replace(/^.*[/\\]/, "")
    .replace(/[^a-zA-Z0-9_.-]/g, "_");
  const extOk =
    content === "iso"
      ? /\.(?:iso|img)$/i.test(filename)
      : content === "vztmpl"
        ? /\.(?:tar|tar\.(?:gz|xz|zst|bz2))$/i.test(filename)
        : /\.(?:ova|ovf|qcow2|raw|vmdk)$/i.test(filename);
  if (!extOk) throw paramError({ filename: "wrong file extension" });
  const checksum = typeof params.checksum === "string" ? params.checksum : undefined;
  const algorithm = params["checksum-algorithm"];
  if ((checksum === undefined) !== (algorithm === undefined)) {
    throw paramError(
      checksum === undefined
        ? { checksum: "parameter 'checksum' is required by 'checksum-algorithm'" }
        : { "checksum-algorithm": "parameter 'checksum-algorithm' is required by 'checksum'" },
    );
  }
  const url = String(params.url);
  const dest = `${s.path}/${CONTENT_DIRS[content]}/${filename}`;
  const volid = `${s.storage}:${content}/${filename}`;
  const existing = volumesOn(mock, s, nodeName).some((v) => v.volid === volid);
  const size = downloadSize(url, content);
  const header = [`downloading ${url} to ${dest}`];
  const task = mock.tasks.start({
    node: nodeName,
    type: "download",
    id: filename,
    who,
    long: true,
    ...(existing ? { error: `refusing to override existing file '${dest}'` } : {}),
    finish: () => {
      const host = new URL(url).hostname;
      if (host.endsWith(".invalid")) {
        throw new TaskFailure(
          `download failed: command 'wget --progress=dot:giga -O ${dest}.tmp_dwnl.${task.pid} ${url}' failed: exit code 4`,
          [
            `Resolving ${host} (${host})... failed: Name or service not known.`,
            `wget: unable to resolve host address '${host}'`,
          ],
        );
      }
      const tail: string[] = [];
      if (checksum !== undefined && typeof algorithm === "string") {
        const got = downloadedChecksum(url, algorithm);
        if (got.toLowerCase() !== checksum.trim().toLowerCase()) {
          throw new TaskFailure(`checksum mismatch: got '${got}' != expect '${checksum}'`, [
            "calculating checksum...",
          ]);
        }
        tail.push("calculating checksum...OK, checksum verified");
      }
      mock.state.volumes.push({
        storage: s.storage,
        ...(s.shared ? {} : { node: nodeName }),
        volid,
        content: content as MockVolume["content"],
        format:
          content === "iso"
            ? "iso"
            : content === "vztmpl"
              ? ({ zst: "tzst", xz: "txz", gz: "tgz", bz2: "tbz2" }[
                  filename.split(".").pop() ?? ""
                ] ?? "tar")
              : (filename.split(".").pop() ?? "raw"),
        size,
        ctime: Math.floor(Date.now() / 1000),
      });
      return [...tail, `download of '${url}' to '${dest}' finished`];
    },
  });
  // The wget lines appear while the task runs (the pid is part of the temporary file name).
  task.lines = existing
    ? spread(header, 0, 0.5)
    : spread([...header, ...wgetLines(url, dest, size, task.pid)]);
  return task.upid;
}

export const storageDownloadRoutes: Route[] = [
  {
    method: "POST",
    path: "/nodes/{node}/storage/{storage}/download-url",
    description: "Download templates, ISO images, OVAs and VM images by using an URL.",
    permission: [{ path: "/storage/{storage}", privs: ["Datastore.AllocateTemplate"] }],
    proxyto: "node",
    parameters: downloadParams,
    handler: ({ mock, params, who }) => startDownload(mock, params, who),
  },
];
