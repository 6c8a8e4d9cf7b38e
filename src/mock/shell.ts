// What runs behind a mock console: a getty/login and a small bash look-alike. It echoes what is
// typed, edits the line (backspace, ctrl-u), knows a few commands, and writes what a real one
// would, escape sequences included (bracketed paste, window title, colours), so clients must
// cope with a real terminal's output. Long commands (sleep, ping) run until done or ctrl-c.

import { OS_RELEASE, ROOT_LISTING, splitWords, uname, uptime } from "./shell-commands.ts";

export interface TerminalSpec {
  hostname: string;
  /** getty: a console with a login prompt that comes back after logout; login: /bin/login once; shell: `login -f root`. */
  start: "getty" | "login" | "shell";
  /** The /etc/issue line a getty prints above its prompt. */
  issue?: string;
  rootPassword: string;
  os: "pve" | "debian" | "ubuntu" | "alpine";
  /** `uname -r` and `uname -v`. */
  kernelRelease: string;
  kernelVersion: string;
  /** Unix seconds. */
  bootTime: number;
  loadavg: readonly [string, string, string];
}

export interface TerminalIo {
  write(text: string): void;
  /** The program ended: termproxy closes the connection. */
  end(): void;
}

type Mode = "user" | "password" | "shell" | "busy" | "ended";

export class SimulatedTerminal {
  #mode: Mode = "user";
  #line = "";
  #user = "";
  #pendingInput = "";
  #job?: {
    name: string;
    timer: ReturnType<typeof setInterval | typeof setTimeout>;
    stop: () => string;
  };

  constructor(
    private readonly spec: TerminalSpec,
    private readonly io: TerminalIo,
  ) {}

  /** What the terminal shows right after the connection. */
  start(): void {
    if (this.spec.start === "shell") {
      this.#user = "root";
      this.#mode = "shell";
      this.io.write(this.#motd());
      this.#prompt();
    } else {
      this.#loginPrompt(this.spec.start === "getty");
    }
  }

  /** Keystrokes as the client typed them (xterm sequences for special keys). */
  input(text: string): void {
    let rest = this.#pendingInput + text;
    this.#pendingInput = "";
    while (rest.length > 0 && this.#mode !== "ended") {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: xterm key sequences start with ESC
      const seq = /^\x1b(\[[0-9;]*[~A-Za-z]?|O[A-Z]?)?/.exec(rest);
      if (seq) {
        const whole = seq[0];
        if (whole === "\x1b" && rest.length === 1) {
          this.#pendingInput = rest; // maybe the start of a sequence cut between frames
          return;
        }
        // biome-ignore lint/suspicious/noControlCharactersInRegex: an unfinished ESC [ sequence
        if (/^\x1b\[[0-9;]*$/.test(whole) || whole === "\x1bO") {
          this.#pendingInput = rest;
          return;
        }
        this.#key(whole);
        rest = rest.slice(whole.length);
        continue;
      }
      const ch = String.fromCodePoint(rest.codePointAt(0) ?? 0);
      this.#key(ch);
      rest = rest.slice(ch.length);
    }
  }

  /** The connection is gone: stop whatever runs. */
  dispose(): void {
    this.#stopJob();
    this.#mode = "ended";
  }

  #key(key: string): void {
    if (this.#mode === "user" || this.#mode === "password") this.#loginKey(key);
    else if (this.#mode === "shell") this.#shellKey(key);
    else if (this.#mode === "busy") this.#busyKey(key);
  }

  #loginPrompt(withIssue: boolean, lead = "\r\n"): void {
    this.#mode = "user";
    this.#line = "";
    const issue = withIssue && this.spec.issue ? `\r\n${this.spec.issue}\r\n\r\n` : lead;
    this.io.write(`${issue}${this.spec.hostname} login: `);
  }

  #loginKey(key: string): void {
    if (key === "\r" || key === "\n") {
      this.io.write("\r\n");
      if (this.#mode === "user") {
        if (this.#line === "") {
          this.#loginPrompt(false);
          return;
        }
        this.#user = this.#line;
        this.#line = "";
        this.#mode = "password";
        this.io.write("Password: ");
        return;
      }
      const ok = this.#user === "root" && this.#line === this.spec.rootPassword;
      this.#line = "";
      if (!ok) {
        this.io.write("\r\nLogin incorrect\r\n");
        this.#loginPrompt(false, "");
        return;
      }
      this.#mode = "shell";
      this.io.write(this.#motd());
      this.#prompt();
      return;
    }
    if (key === "\x03") {
      this.#loginPrompt(true);
      return;
    }
    if (key === "\x7f" || key === "\b") {
      if (this.#line === "") return;
      this.#line = this.#line.slice(0, -1);
      if (this.#mode === "user") this.io.write("\b \b");
      return;
    }
    if (key.length !== 1 || key < " ") return;
    this.#line += key;
    if (this.#mode === "user") this.io.write(key); // passwords are not echoed
  }

  #shellKey(key: string): void {
    switch (key) {
      case "\r":
      case "\n": {
        const line = this.#line;
        this.#line = "";
        this.io.write("\r\n\x1b[?2004l\r");
        this.#run(line.trim());
        return;
      }
      case "\x03":
        this.#line = "";
        this.io.write("^C\r\n");
        this.#prompt();
        return;
      case "\x04":
        if (this.#line === "") this.#logout();
        return;
      case "\x15": // ctrl-u: kill the line
        this.io.write("\b \b".repeat(this.#line.length));
        this.#line = "";
        return;
      case "\x7f":
      case "\b":
        if (this.#line === "") {
          this.io.write("\x07");
          return;
        }
        this.#line = this.#line.slice(0, -1);
        this.io.write("\b\x1b[K");
        return;
      case "\x0c": // ctrl-l
        this.io.write("\x1b[H\x1b[2J");
        this.#prompt(false);
        this.io.write(this.#line);
        return;
      default:
        if (key.length === 1 && key >= " ") {
          this.#line += key;
          this.io.write(key);
        } else if ([...key].length === 1 && key > "\x7f") {
          this.#line += key;
          this.io.write(key);
        } else {
          this.io.write("\x07"); // tab, arrows, ctrl-z at the prompt: nothing to do here
        }
    }
  }

  #busyKey(key: string): void {
    if (key === "\x03") {
      this.io.write("^C");
      const tail = this.#stopJob();
      this.io.write(`${tail}\r\n`);
      this.#mode = "shell";
      this.#prompt();
      return;
    }
    if (key === "\x1a") {
      const name = this.#job?.name ?? "";
      this.#stopJob();
      this.io.write(`^Z\r\n[1]+  Stopped                 ${name}\r\n`);
      this.#mode = "shell";
      this.#prompt();
      return;
    }
    // The tty echoes what is typed while a program runs.
    if (key === "\r") this.io.write("\r\n");
    else if (key.length === 1 && key >= " ") this.io.write(key);
  }

  #prompt(bracketed = true): void {
    const title = this.spec.os === "pve" ? `\x1b]0;root@${this.spec.hostname}: ~\x07` : "";
    this.io.write(
      `${bracketed ? "\x1b[?2004h" : ""}${title}${this.#user}@${this.spec.hostname}:~# `,
    );
  }

  #motd(): string {
    const lines = [
      `Linux ${this.spec.hostname} ${this.spec.kernelRelease} ${this.spec.kernelVersion} x86_64`,
      "",
      "The programs included with the Debian GNU/Linux system are free software;",
      "the exact distribution terms for each program are described in the",
      "individual files in /usr/share/doc/*/copyright.",
      "",
      "Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent",
      "permitted by applicable law.",
    ];
    return `${lines.join("\r\n")}\r\n`;
  }

  #logout(): void {
    this.io.write("logout\r\n");
    this.#user = "";
    if (this.spec.start === "getty") {
      this.#loginPrompt(true);
      return;
    }
    this.#mode = "ended";
    this.io.end();
  }

  #out(lines: string | string[]): void {
    const all = Array.isArray(lines) ? lines : [lines];
    if (all.length > 0) this.io.write(`${all.join("\r\n")}\r\n`);
  }

  #run(command: string): void {
    const [name = "", ...args] = splitWords(command);
    const spec = this.spec;
    switch (name) {
      case "":
      case "true":
      case ":":
        break;
      case "echo":
        this.#out(args.join(" "));
        break;
      case "hostname":
        this.#out(spec.hostname);
        break;
      case "whoami":
        this.#out(this.#user);
        break;
      case "uname":
        this.#out(uname(spec, args));
        break;
      case "uptime":
        this.#out(uptime(spec));
        break;
      case "ls":
        if (args.includes("/")) this.#out(ROOT_LISTING);
        else if (args.length === 0 || args.every((a) => a.startsWith("-"))) {
          this.#out(`\x1b[0m\x1b[01;34mscripts\x1b[0m  notes.txt`);
        } else this.#out(`ls: cannot access '${args[0]}': No such file or directory`);
        break;
      case "cat":
        if (args[0] === "/etc/os-release") this.#out(OS_RELEASE[spec.os]);
        else if (args[0] === "/etc/hostname") this.#out(spec.hostname);
        else this.#out(`cat: ${args[0] ?? "-"}: No such file or directory`);
        break;
      case "clear":
        this.io.write("\x1b[H\x1b[2J\x1b[3J");
        break;
      case "exit":
      case "logout":
        this.#logout();
        return;
      case "sleep":
        this.#startJob(command, Number(args[0] ?? 1), () => "");
        return;
      case "ping":
        this.#ping(command, args.filter((a) => !a.startsWith("-"))[0] ?? "");
        return;
      default:
        this.#out(`-bash: ${name}: command not found`);
    }
    this.#prompt();
  }

  #startJob(name: string, seconds: number, stop: () => string): void {
    this.#mode = "busy";
    const ms = Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), 3600) * 1000 : 1000;
    const timer = setTimeout(() => {
      this.#job = undefined;
      this.#mode = "shell";
      this.#prompt();
    }, ms);
    this.#job = { name, timer, stop };
  }

  #ping(name: string, host: string): void {
    if (host === "") {
      this.#out("ping: usage error: Destination address required");
      this.#prompt();
      return;
    }
    this.#mode = "busy";
    let seq = 0;
    this.#out(`PING ${host} (${host}) 56(84) bytes of data.`);
    const timer = setInterval(() => {
      seq++;
      this.#out(`64 bytes from ${host}: icmp_seq=${seq} ttl=64 time=0.0${(seq % 9) + 1} ms`);
    }, 200);
    const stop = () =>
      `\r\n--- ${host} ping statistics ---\r\n${seq} packets transmitted, ${seq} received, 0% packet loss, time ${seq * 200}ms\r\nrtt min/avg/max/mdev = 0.011/0.052/0.091/0.020 ms`;
    this.#job = { name, timer, stop };
  }

  #stopJob(): string {
    const job = this.#job;
    if (!job) return "";
    clearTimeout(job.timer as ReturnType<typeof setTimeout>);
    clearInterval(job.timer as ReturnType<typeof setInterval>);
    this.#job = undefined;
    return job.stop();
  }
}
