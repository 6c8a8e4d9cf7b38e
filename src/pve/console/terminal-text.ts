// What a console prints, made readable for a model: a streaming renderer that drops terminal
// control sequences (ANSI CSI, OSC, DCS/APC strings, charset switches, bells), applies what moves
// the cursor within a line (backspace, carriage return, erase-in-line, cursor left/right, delete
// and insert characters), and keeps the finished lines in a bounded buffer with a read cursor.
//
// It models one line, not a screen: full-screen programs (vi, top) come out garbled, line-based
// output (shells, logins, boot messages) comes out as the user would have seen it.

/** Longest line kept before it is wrapped (a program printing without newlines). */
const MAX_LINE = 4000;
/** Longest control sequence or string swallowed before giving up on it. */
const MAX_SEQUENCE = 4096;

type Mode = "text" | "esc" | "csi" | "osc" | "string" | "skip-one";

export interface ReadChunk {
  text: string;
  /** Characters of older unread output dropped because the buffer was full. */
  dropped: number;
  /** More unread output remains (the chunk was cut at the requested size). */
  more: boolean;
}

export class TerminalText {
  readonly #limit: number;
  readonly #decoder = new TextDecoder("utf-8");
  #mode: Mode = "text";
  #sequence = "";
  #stringLength = 0;
  #stringEscape = false;
  /** Finished lines not yet read, each ending in "\n". */
  #pending = "";
  #line: string[] = [];
  #col = 0;
  /** The unfinished last line as the previous read returned it. */
  #delivered = "";
  #dropped = 0;
  /** Finished lines so far (never decreases): "a newline arrived since" checks. */
  lines = 0;

  /** @param limit how many characters of unread output to keep (older ones are dropped) */
  constructor(limit = 64 * 1024) {
    this.#limit = limit;
  }

  /** Feeds raw terminal bytes (UTF-8, possibly cut anywhere). */
  write(bytes: Uint8Array | string): void {
    const text = typeof bytes === "string" ? bytes : this.#decoder.decode(bytes, { stream: true });
    for (const ch of text) this.#char(ch);
    this.#bound();
  }

  /** The line being written, as a terminal shows it (no trailing blanks past the cursor). */
  get currentLine(): string {
    let end = this.#line.length;
    while (end > this.#col && this.#line[end - 1] === " ") end--;
    return this.#line.slice(0, end).join("");
  }

  /** Everything not read yet (the current line included), without consuming it. */
  peek(): string {
    const full = this.#pending + this.currentLine;
    return full.slice(this.#skip(full));
  }

  /** How much of `full` the previous read returned already (its unfinished last line). */
  #skip(full: string): number {
    const done = this.#delivered;
    if (!done) return 0;
    if (full.startsWith(done)) return done.length;
    // The line was finished since: its trailing blanks went (`Password: ` became `Password:`).
    const trimmed = done.trimEnd();
    return full.startsWith(`${trimmed}\n`) ? trimmed.length : 0;
  }

  get hasUnread(): boolean {
    return this.peek().length > 0 || this.#dropped > 0;
  }

  /** Returns unread output, oldest first, at most `max` characters, and moves the cursor past it. */
  read(max = Number.POSITIVE_INFINITY): ReadChunk {
    const line = this.currentLine;
    const full = this.#pending + line;
    const skip = this.#skip(full);
    const unread = full.length - skip;
    const dropped = this.#dropped;
    this.#dropped = 0;
    if (unread <= max) {
      this.#pending = "";
      this.#delivered = line;
      return { text: full.slice(skip), dropped, more: false };
    }
    const end = skip + max;
    if (end <= this.#pending.length) {
      this.#pending = this.#pending.slice(end);
      this.#delivered = "";
    } else {
      this.#delivered = line.slice(0, end - this.#pending.length);
      this.#pending = "";
    }
    return { text: full.slice(skip, end), dropped, more: true };
  }

  #bound(): void {
    const excess = this.#pending.length - this.#limit;
    if (excess <= 0) return;
    this.#pending = this.#pending.slice(excess);
    this.#dropped += excess;
    this.#delivered = "";
  }

  #char(ch: string): void {
    const code = ch.codePointAt(0) ?? 0;
    switch (this.#mode) {
      case "text":
        this.#text(ch, code);
        break;
      case "esc":
        this.#escape(ch);
        break;
      case "csi":
        this.#csiChar(ch, code);
        break;
      case "osc":
      case "string":
        this.#stringChar(code);
        break;
      case "skip-one":
        this.#mode = "text";
        break;
    }
  }

  #text(ch: string, code: number): void {
    if (code === 0x1b) {
      this.#mode = "esc";
      return;
    }
    if (code >= 0x80 && code <= 0x9f) {
      // 8-bit C1 controls: CSI, OSC and the string introducers; the rest mean nothing here.
      if (code === 0x9b) this.#enter("csi");
      else if (code === 0x9d) this.#enter("osc");
      else if (code === 0x90 || code === 0x98 || code === 0x9e || code === 0x9f) {
        this.#enter("string");
      }
      return;
    }
    if (code < 0x20 || code === 0x7f) {
      this.#control(code);
      return;
    }
    this.#put(ch);
  }

  #control(code: number): void {
    switch (code) {
      case 0x08: // backspace moves left; the next character (often a space) overwrites
        this.#col = Math.max(0, this.#col - 1);
        return;
      case 0x09: // tab: to the next multiple of 8
        this.#col = Math.min(MAX_LINE, this.#col + 8 - (this.#col % 8));
        return;
      case 0x0a: // line feed (and VT, FF): the line is done; terminals here map LF to CR LF
      case 0x0b:
      case 0x0c:
        this.#newline();
        return;
      case 0x0d:
        this.#col = 0;
        return;
      default: // BEL, NUL, SO/SI, DEL and the rest print nothing
        return;
    }
  }

  #escape(ch: string): void {
    this.#mode = "text";
    if (ch === "[") this.#enter("csi");
    else if (ch === "]") this.#enter("osc");
    else if (ch === "P" || ch === "X" || ch === "^" || ch === "_") this.#enter("string");
    else if ("()*+-./#% ".includes(ch))
      this.#mode = "skip-one"; // charset and line-size picks
    else if (ch === "E") this.#newline(); // NEL
    // Others (ESC 7/8 = save/restore cursor, ESC =/>, ESC c, ESC M, ESC \ …) print nothing.
  }

  #enter(mode: "csi" | "osc" | "string"): void {
    this.#mode = mode;
    this.#sequence = "";
    this.#stringLength = 0;
    this.#stringEscape = false;
  }

  #csiChar(ch: string, code: number): void {
    if (code >= 0x40 && code <= 0x7e) {
      this.#mode = "text";
      this.#csi(this.#sequence, ch);
      return;
    }
    if (code === 0x1b) {
      this.#mode = "esc"; // an aborted sequence followed by a new one
      return;
    }
    if (code === 0x18 || code === 0x1a) {
      this.#mode = "text"; // CAN/SUB cancel the sequence
      return;
    }
    if (code < 0x20) {
      this.#control(code); // controls inside a sequence act at once, as on a VT
      return;
    }
    this.#sequence += ch;
    if (this.#sequence.length > MAX_SEQUENCE) this.#mode = "text";
  }

  /** OSC ends at BEL or ST (ESC \ or 0x9c); DCS, SOS, PM and APC at ST. */
  #stringChar(code: number): void {
    if (this.#stringEscape) {
      this.#stringEscape = false;
      if (code === 0x5c) {
        this.#mode = "text";
        return;
      }
    }
    if (code === 0x1b) this.#stringEscape = true;
    else if (code === 0x9c || (code === 0x07 && this.#mode === "osc")) this.#mode = "text";
    else if (code === 0x18 || code === 0x1a) this.#mode = "text";
    else if (++this.#stringLength > MAX_SEQUENCE) this.#mode = "text";
  }

  #csi(params: string, final: string): void {
    if (/[<=>?]/.test(params[0] ?? "")) return; // private modes (?2004h, ?25l …)
    const numbers = params.split(";").map((p) => Number.parseInt(p, 10));
    const n = Math.min(MAX_LINE, numbers[0] && numbers[0] > 0 ? numbers[0] : 1);
    const line = this.#line;
    switch (final) {
      case "K": {
        const mode = Number.isNaN(numbers[0]) ? 0 : numbers[0];
        if (mode === 0) line.length = Math.min(line.length, this.#col);
        else if (mode === 1) for (let i = 0; i <= this.#col && i < line.length; i++) line[i] = " ";
        else if (mode === 2) line.length = 0;
        return;
      }
      case "C":
        this.#col = Math.min(MAX_LINE, this.#col + n);
        return;
      case "D":
        this.#col = Math.max(0, this.#col - n);
        return;
      case "G":
      case "`":
        this.#col = n - 1;
        return;
      case "P":
        line.splice(this.#col, n);
        return;
      case "X":
        for (let i = this.#col; i < this.#col + n && i < line.length; i++) line[i] = " ";
        return;
      case "@":
        if (this.#col < line.length) line.splice(this.#col, 0, ...Array(n).fill(" "));
        return;
      case "H":
      case "f": {
        // Cursor addressing means a full-screen program: start a fresh line at that column.
        if (this.currentLine.trim() !== "") this.#newline();
        const col = numbers[1] && numbers[1] > 0 ? numbers[1] - 1 : 0;
        this.#col = Math.min(MAX_LINE, col);
        return;
      }
      default: // colours (m), screen erase (J), scrolling, modes: nothing to show
        return;
    }
  }

  #put(ch: string): void {
    const line = this.#line;
    while (line.length < this.#col) line.push(" ");
    line[this.#col] = ch;
    this.#col++;
    if (this.#col >= MAX_LINE) this.#newline();
  }

  #newline(): void {
    this.#pending += `${this.#line.join("").trimEnd()}\n`;
    this.#line = [];
    this.#col = 0;
    this.lines++;
    this.#bound();
  }
}
