// Files the settings name are checked at start, so a typo or a wrong file is reported as the
// setting it is, not later as a TLS or network failure far from its cause.

import type { X509Certificate } from "node:crypto";
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { ConfigError } from "./config-error.ts";

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Why `path` cannot be read, in words (ENOENT → "no such file"). */
function unreadable(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "a directory, not a file";
  return (error as Error).message;
}

/** The certificates of a PEM file, or the reason it is not one. */
export function readPemCertificates(path: string): X509Certificate[] | string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return `cannot read ${path}: ${unreadable(error)}`;
  }
  const text = bytes.toString("latin1");
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    const der = bytes[0] === 0x30; // an ASN.1 sequence: the same certificate, binary-encoded
    return der
      ? `${path} is a DER (binary) certificate; convert it: openssl x509 -inform der -in ${path} -out ca.pem`
      : `${path} is not a PEM certificate (no -----BEGIN CERTIFICATE----- line); on a PVE host the cluster CA is /etc/pve/pve-root-ca.pem`;
  }
  // Loaded here, not at the top: node:crypto costs every start ~3 ms, and few set a CA file.
  const { X509Certificate } = process.getBuiltinModule("node:crypto");
  const certificates: X509Certificate[] = [];
  for (const block of blocks) {
    try {
      certificates.push(new X509Certificate(block));
    } catch {
      return `${path} has a certificate block that does not parse (damaged when copied?)`;
    }
  }
  return certificates;
}

export function checkFiles(
  s: { ca_file?: string; api_schema?: string },
  sourceOf: (key: string) => string,
): void {
  const problems: string[] = [];
  if (s.ca_file) {
    const read = readPemCertificates(s.ca_file);
    if (typeof read === "string") problems.push(`${sourceOf("ca_file")}: ${read}`);
  }
  if (s.api_schema) {
    try {
      accessSync(s.api_schema, constants.R_OK);
      if (statSync(s.api_schema).isDirectory())
        throw Object.assign(new Error(), { code: "EISDIR" });
    } catch (error) {
      problems.push(`${sourceOf("api_schema")}: cannot read ${s.api_schema}: ${unreadable(error)}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
}
