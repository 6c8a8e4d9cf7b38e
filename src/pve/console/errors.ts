/** A console failure the engine explains itself (tools turn it into their own error result). */
export class ConsoleError extends Error {
  override name = "ConsoleError";
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export const NODE_SHELL_TOKEN_HINT =
  "Node shells need a ticket (password login) for a root shell: API tokens are refused before " +
  "pve-manager 9.0.13 and get a /bin/login prompt since. Configure a password for the server " +
  "(--password / PROXMOX_PASSWORD, with --user root@pam) beside the token so consoles log in " +
  "with a ticket; guest consoles (by vmid) work with tokens.";
