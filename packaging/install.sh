#!/bin/sh
# Installs the proxmox-mcp release for this machine (a Proxmox VE host, any Linux, or macOS):
# picks the archive for the CPU and C library, downloads it from the GitHub release, checks it
# against the release's SHA256SUMS and installs PREFIX/bin/proxmox-mcp, with its shell
# completions and man page under PREFIX/share where it can write them. It warns when
# PREFIX/bin is not on PATH. With --systemd it also installs a hardened service running the
# HTTP transport.
#
#   curl -fsSL https://github.com/proxmox-mcp/proxmox-mcp/releases/latest/download/install.sh | sh
#   curl -fsSL .../install.sh | sh -s -- --systemd
#
# Run with --help for the options. Env: PROXMOX_MCP_REPO (owner/name), PROXMOX_MCP_VERSION,
# PROXMOX_MCP_BASE_URL (a mirror holding the release files).
set -eu

# The default repository; scripts/release.ts reads the same slug from package.json.
REPO="${PROXMOX_MCP_REPO:-proxmox-mcp/proxmox-mcp}"
VERSION="${PROXMOX_MCP_VERSION:-latest}"
BASE_URL="${PROXMOX_MCP_BASE_URL:-}"
PREFIX=/usr/local
ROOT=""
FROM_DIR=""
ARCH=""
LIBC=""
SYSTEMD=0
DRY_RUN=0

say() { printf '%s\n' "$*"; }
warn() { printf 'install.sh: warning: %s\n' "$*" >&2; }
die() {
  printf 'install.sh: error: %s\n' "$*" >&2
  exit 1
}

usage() {
  cat <<'EOF'
Usage: install.sh [options]

  --version X.Y.Z   install this release (default: the latest)
  --prefix DIR      install to DIR/bin (default: /usr/local)
  --systemd         also install the proxmox-mcp systemd service (HTTP transport)
  --from-dir DIR    take the release files (archives, SHA256SUMS) from DIR: no network
  --root DIR        write every file under DIR (staging, tests); nothing is started
  --arch ARCH       install for ARCH (x86_64 or aarch64) instead of this CPU
  --libc LIBC       glibc or musl, instead of detecting it
  --dry-run         download and verify, then only say what would be installed
  -h, --help        this help
EOF
}

need_value() {
  if [ "$#" -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value (see --help)"; fi
}

while [ "$#" -gt 0 ]; do
  case "$1" in
  --*=*)
    opt="${1%%=*}"
    val="${1#*=}"
    shift
    set -- "$opt" "$val" "$@"
    continue
    ;;
  --version) need_value "$@"; VERSION="$2"; shift ;;
  --prefix) need_value "$@"; PREFIX="$2"; shift ;;
  --from-dir) need_value "$@"; FROM_DIR="$2"; shift ;;
  --root) need_value "$@"; ROOT="$2"; shift ;;
  --arch) need_value "$@"; ARCH="$2"; shift ;;
  --libc) need_value "$@"; LIBC="$2"; shift ;;
  --systemd) SYSTEMD=1 ;;
  --dry-run) DRY_RUN=1 ;;
  -h | --help) usage; exit 0 ;;
  *) die "unknown option: $1 (see --help)" ;;
  esac
  shift
done

case "$PREFIX" in
/*) ;;
*) die "--prefix must be an absolute path, got: $PREFIX" ;;
esac
VERSION="${VERSION#v}"

is_musl() {
  case "$LIBC" in
  musl) return 0 ;;
  glibc | gnu) return 1 ;;
  "") ;;
  *) die "--libc must be glibc or musl, got: $LIBC" ;;
  esac
  for loader in /lib/ld-musl-*.so.1; do
    [ -e "$loader" ] && return 0
  done
  ldd --version 2>&1 | grep -qi musl
}

# Sets OS and TARGET (the release's os-arch[-musl] suffix), or refuses.
detect_target() {
  kernel=$(uname -s)
  machine="${ARCH:-$(uname -m)}"
  case "$kernel" in
  Linux) OS=linux ;;
  Darwin) OS=darwin ;;
  *) die "unsupported operating system: $kernel (release binaries exist for Linux and macOS; on Windows use scoop)" ;;
  esac
  case "$machine" in
  x86_64 | amd64 | x64) cpu=x64 ;;
  aarch64 | arm64) cpu=arm64 ;;
  *) die "unsupported architecture: $machine (release binaries exist for x86_64 and aarch64)" ;;
  esac
  TARGET="$OS-$cpu"
  if [ "$OS" = linux ] && is_musl; then
    [ "$cpu" = x64 ] || die "unsupported platform: musl on $machine (the musl build is x86_64 only; use a glibc system)"
    TARGET="linux-x64-musl"
  fi
}

# The musl build is linked against libstdc++ and libgcc, which Alpine leaves out by default.
check_musl_libraries() {
  [ "$TARGET" = linux-x64-musl ] || return 0
  missing=""
  for lib in libstdc++.so.6 libgcc_s.so.1; do
    found=0
    for dir in /usr/lib /lib /usr/local/lib; do
      if [ -e "$ROOT$dir/$lib" ]; then found=1; fi
    done
    if [ "$found" = 0 ]; then missing="$missing $lib"; fi
  done
  if [ -n "$missing" ]; then
    die "the musl build needs libstdc++ and libgcc, and this system lacks${missing}: apk add libstdc++ libgcc"
  fi
}

download() { # download FILE DEST
  if [ -n "$FROM_DIR" ]; then
    [ -f "$FROM_DIR/$1" ] || die "$1 is not in $FROM_DIR"
    cp "$FROM_DIR/$1" "$2"
    return
  fi
  url="$BASE_URL/$1"
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --proto '=https' --tlsv1.2 --retry 3 -o "$2" "$url" || die "download failed: $url"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$url" || die "download failed: $url"
  else
    die "neither curl nor wget is installed"
  fi
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  else
    die "no SHA-256 tool found (sha256sum, shasum or openssl)"
  fi
}

verify() { # verify FILE SUMS NAME
  expected=$(awk -v f="$3" '$2 == f || $2 == "*" f { print tolower($1); exit }' "$2")
  [ -n "$expected" ] || die "SHA256SUMS has no entry for $3; refusing to install"
  actual=$(sha256 "$1")
  if [ "$actual" != "$expected" ]; then
    die "checksum mismatch for $3: expected $expected, got $actual; the file is corrupt or not the released one, refusing to install"
  fi
}

install_binary() { # install_binary SRC
  dir="$ROOT$PREFIX/bin"
  if ! mkdir -p "$dir" 2>/dev/null || [ ! -w "$dir" ]; then
    die "cannot write to $dir: run as root, or pick another --prefix (e.g. \$HOME/.local)"
  fi
  cp "$1" "$dir/.proxmox-mcp.new.$$"
  chmod 0755 "$dir/.proxmox-mcp.new.$$"
  mv -f "$dir/.proxmox-mcp.new.$$" "$dir/proxmox-mcp" # atomic: a running server keeps its file
  installed=$("$dir/proxmox-mcp" --version 2>&1) ||
    die "the installed $dir/proxmox-mcp does not run on this machine: $installed"
  say "installed proxmox-mcp $installed as $dir/proxmox-mcp"
}

install_doc() { # install_doc SRC DIR NAME: quietly skipped where the folder cannot be written
  if mkdir -p "$ROOT$2" 2>/dev/null && cp "$1" "$ROOT$2/$3" 2>/dev/null; then
    chmod 0644 "$ROOT$2/$3"
    return 0
  fi
  return 1
}

install_docs() { # install_docs EXTRACTED_DIR
  share="$PREFIX/share"
  done_list="" skipped=""
  for item in \
    "bash:completions/proxmox-mcp.bash:$share/bash-completion/completions:proxmox-mcp" \
    "zsh:completions/_proxmox-mcp:$share/zsh/site-functions:_proxmox-mcp" \
    "fish:completions/proxmox-mcp.fish:$share/fish/vendor_completions.d:proxmox-mcp.fish" \
    "man page:man/proxmox-mcp.1:$share/man/man1:proxmox-mcp.1"; do
    label="${item%%:*}" rest="${item#*:}"
    src="${rest%%:*}" rest="${rest#*:}"
    if install_doc "$1/$src" "${rest%%:*}" "${rest#*:}"; then
      done_list="$done_list, $label"
    else
      skipped="$skipped, $label"
    fi
  done
  [ -z "$done_list" ] || say "installed completions and man page under $ROOT$share: ${done_list#, }"
  [ -z "$skipped" ] || warn "could not write ${skipped#, } under $ROOT$share (skipped)"
}

warn_if_not_on_path() {
  [ -z "$ROOT" ] || return 0
  case ":$PATH:" in
  *":$PREFIX/bin:"*) ;;
  *) warn "$PREFIX/bin is not on your PATH; add it, e.g. in ~/.profile: export PATH=\"$PREFIX/bin:\$PATH\"" ;;
  esac
}

write_unit() {
  cat <<EOF
# proxmox-mcp over Streamable HTTP, written by install.sh. Settings and secrets live in
# /etc/proxmox-mcp/env (mode 600), read by systemd before it drops to the service user.
[Unit]
Description=Proxmox VE MCP server (HTTP)
Documentation=https://github.com/$REPO
Wants=network-online.target
After=network-online.target

[Service]
Type=exec
ExecStart=$PREFIX/bin/proxmox-mcp --server-type http
EnvironmentFile=/etc/proxmox-mcp/env
Environment=PROXMOX_LOG_DIR=/var/log/proxmox-mcp
LogsDirectory=proxmox-mcp
Restart=on-failure
RestartSec=2s

# A throwaway user with no privileges and a read-only view of the system.
DynamicUser=yes
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
SystemCallArchitectures=native
CapabilityBoundingSet=
AmbientCapabilities=
UMask=0077
# Not set on purpose: MemoryDenyWriteExecute (the JavaScript JIT writes executable memory).

[Install]
WantedBy=multi-user.target
EOF
}

write_env() { # write_env HOST CA_FILE TOKEN
  cat <<EOF
# proxmox-mcp service settings (see: proxmox-mcp --help). Secrets: keep this file mode 600.
# The Proxmox API to manage; on the PVE host itself, localhost.
PROXMOX_HOST=$1
PROXMOX_USER=root@pam
# An API token (Datacenter > Permissions > API Tokens): its id and secret.
PROXMOX_TOKEN_NAME=mcp
PROXMOX_TOKEN_VALUE=
PROXMOX_CA_FILE=$2
# Where MCP clients connect (0.0.0.0 to serve other machines), and the bearer token they send.
PROXMOX_HTTP_HOST=127.0.0.1
PROXMOX_HTTP_PORT=3000
PROXMOX_HTTP_AUTH_TOKEN=$3
EOF
}

random_token() {
  od -An -N32 -tx1 /dev/urandom | tr -d ' \n'
}

install_systemd() {
  confdir="$ROOT/etc/proxmox-mcp"
  unitdir="$ROOT/etc/systemd/system"
  mkdir -p "$confdir" "$unitdir" || die "cannot create $confdir or $unitdir: run as root"
  write_unit >"$unitdir/proxmox-mcp.service"
  chmod 0644 "$unitdir/proxmox-mcp.service"
  say "installed $unitdir/proxmox-mcp.service"

  host="" ca=""
  # On a PVE host, trust its cluster CA; a copy, as the service user cannot read /etc/pve.
  if [ -r "$ROOT/etc/pve/pve-root-ca.pem" ]; then
    cp "$ROOT/etc/pve/pve-root-ca.pem" "$confdir/pve-root-ca.pem"
    chmod 0644 "$confdir/pve-root-ca.pem"
    host=localhost ca=/etc/proxmox-mcp/pve-root-ca.pem
  fi
  if [ -e "$confdir/env" ]; then
    say "kept $confdir/env (it holds your settings)"
  else
    (umask 077 && write_env "$host" "$ca" "$(random_token)" >"$confdir/env")
    chmod 0600 "$confdir/env"
    say "wrote $confdir/env (mode 600) with a new random PROXMOX_HTTP_AUTH_TOKEN"
  fi
  if [ -z "$ROOT" ] && command -v systemctl >/dev/null 2>&1; then
    systemctl daemon-reload
  fi
  say "next: set PROXMOX_TOKEN_VALUE (and the rest) in /etc/proxmox-mcp/env, then"
  say "      systemctl enable --now proxmox-mcp"
}

main() {
  detect_target
  if [ "$SYSTEMD" = 1 ] && [ "$OS" != linux ]; then die "--systemd needs Linux with systemd"; fi
  check_musl_libraries
  command -v tar >/dev/null 2>&1 || die "tar is needed to unpack the release archive"
  file="proxmox-mcp-$TARGET.tar.gz"
  if [ -z "$BASE_URL" ]; then
    if [ "$VERSION" = latest ]; then
      BASE_URL="https://github.com/$REPO/releases/latest/download"
    else
      BASE_URL="https://github.com/$REPO/releases/download/v$VERSION"
    fi
  fi
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  trap 'exit 130' INT TERM
  say "fetching $file (${FROM_DIR:-$BASE_URL})"
  download SHA256SUMS "$tmp/SHA256SUMS"
  download "$file" "$tmp/$file"
  verify "$tmp/$file" "$tmp/SHA256SUMS" "$file"
  say "checksum OK: $file"
  tar -xzf "$tmp/$file" -C "$tmp" || die "$file does not unpack: the download is damaged"
  unpacked="$tmp/proxmox-mcp-$TARGET"
  [ -f "$unpacked/proxmox-mcp" ] || die "$file holds no proxmox-mcp binary"
  if [ "$DRY_RUN" = 1 ]; then
    say "dry run: would install $ROOT$PREFIX/bin/proxmox-mcp$([ "$SYSTEMD" = 1 ] && printf ' and the systemd service')"
    return
  fi
  install_binary "$unpacked/proxmox-mcp"
  install_docs "$unpacked"
  if [ "$SYSTEMD" = 1 ]; then install_systemd; fi
  warn_if_not_on_path
}

main
