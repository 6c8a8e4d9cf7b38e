// A fresh self-signed X.509 v3 certificate (ECDSA P-256), DER-encoded by hand: no openssl needed.
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";

export interface MockCertificate {
  /** PEM of the certificate, to trust it as a CA (`tls: { ca: pem }`). */
  pem: string;
  /** PEM (PKCS#8) of the private key. */
  keyPem: string;
  /** SHA-256 of the DER, upper-case hex pairs joined by ":" (PVE's ssl_fingerprint format). */
  fingerprint256: string;
}

// --- a tiny DER encoder: tag, length, content ---
function tlv(tag: number, content: Uint8Array): Uint8Array {
  const len = content.length;
  let header: number[];
  if (len < 0x80) header = [tag, len];
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  const out = new Uint8Array(header.length + len);
  out.set(header);
  out.set(content, header.length);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const seq = (...parts: Uint8Array[]) => tlv(0x30, concat(parts));
const set = (...parts: Uint8Array[]) => tlv(0x31, concat(parts));
const explicit = (n: number, inner: Uint8Array) => tlv(0xa0 + n, inner);
const octets = (content: Uint8Array) => tlv(0x04, content);
const bitString = (content: Uint8Array) => tlv(0x03, concat([new Uint8Array([0]), content]));
const utf8 = (text: string) => tlv(0x0c, new TextEncoder().encode(text));
const bool = (v: boolean) => tlv(0x01, new Uint8Array([v ? 0xff : 0]));

function integer(bytes: Uint8Array): Uint8Array {
  // A leading 1 bit would make it negative: prefix a zero byte.
  const first = bytes[0] ?? 0;
  return tlv(0x02, first & 0x80 ? concat([new Uint8Array([0]), bytes]) : bytes);
}

function oid(dotted: string): Uint8Array {
  const [a = 0, b = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [a * 40 + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128))
      chunk.unshift(0x80 | (v & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, new Uint8Array(bytes));
}

function time(d: Date): Uint8Array {
  const iso = d.toISOString().replace(/[-:T]/g, "").slice(0, 14); // YYYYMMDDHHMMSS
  // UTCTime up to 2049, GeneralizedTime after (RFC 5280).
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, new TextEncoder().encode(`${iso.slice(2)}Z`))
    : tlv(0x18, new TextEncoder().encode(`${iso}Z`));
}

const name = (cn: string) => seq(set(seq(oid("2.5.4.3"), utf8(cn))));
const ecdsaWithSha256 = seq(oid("1.2.840.10045.4.3.2"));

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

export function generateCertificate(commonName = "pve-mock"): MockCertificate {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const spki = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
  const serial = randomBytes(16);
  // Positive (top bit clear) and minimal DER (a zero first byte would be an invalid pad).
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  const now = Date.now();
  const day = 86_400_000;
  const san = seq(
    tlv(0x82, new TextEncoder().encode("localhost")), // dNSName
    tlv(0x87, new Uint8Array([127, 0, 0, 1])), // iPAddress
    tlv(0x87, new Uint8Array([...new Array(15).fill(0), 1])), // ::1
  );
  const skid = createHash("sha1").update(spki).digest();
  const extensions = seq(
    extension("2.5.29.19", true, seq()), // basicConstraints: not a CA
    extension("2.5.29.15", true, tlv(0x03, new Uint8Array([7, 0x80]))), // keyUsage: digitalSignature
    extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"))), // extKeyUsage: serverAuth
    extension("2.5.29.14", false, octets(skid)), // subjectKeyIdentifier
    extension("2.5.29.17", false, san),
  );
  const tbs = seq(
    explicit(0, integer(new Uint8Array([2]))), // v3
    integer(serial),
    ecdsaWithSha256,
    name(commonName),
    seq(time(new Date(now - day)), time(new Date(now + 365 * day))),
    name(commonName),
    spki,
    explicit(3, extensions),
  );
  const signature = new Uint8Array(sign("sha256", tbs, privateKey));
  const der = seq(tbs, ecdsaWithSha256, bitString(signature));
  const digest = createHash("sha256").update(der).digest("hex").toUpperCase();
  return {
    pem: toPem("CERTIFICATE", der),
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    fingerprint256: digest.match(/../g)?.join(":") ?? digest,
  };
}
