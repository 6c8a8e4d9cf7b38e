// The console output renderer: control sequences out, line edits applied, a bounded buffer with
// a read cursor that returns new output only.

import { describe, expect, test } from "bun:test";
import { dataFrame, keySequence, typed } from "../../src/pve/console/protocol.ts";
import { TerminalText } from "../../src/pve/console/terminal-text.ts";

const render = (...chunks: (string | Uint8Array)[]): string => {
  const t = new TerminalText();
  for (const c of chunks) t.write(c);
  return t.read().text;
};

describe("control sequences are removed", () => {
  test("SGR colours, bracketed paste and other CSI", () => {
    expect(render("\x1b[0m\x1b[01;34mscripts\x1b[0m  notes.txt\r\n")).toBe("scripts  notes.txt\n");
    expect(render("\x1b[?2004hroot@pve1:~# ")).toBe("root@pve1:~# ");
    expect(render("a\x1b[2Jb\x1b[?25l\x1b[38;5;196mc\n")).toBe("abc\n");
  });

  test("OSC titles end at BEL or ST; DCS/APC strings at ST", () => {
    expect(render("\x1b]0;root@pve1: ~\x07$ ")).toBe("$ ");
    expect(render("\x1b]2;title\x1b\\x\n")).toBe("x\n");
    expect(render("\x1bPq#0;2;0;0;0\x1b\\ok\n")).toBe("ok\n");
    expect(render("\x1b_apc payload\x1b\\ok\n")).toBe("ok\n");
  });

  test("8-bit C1 CSI, charset switches and lone controls", () => {
    expect(render("\u009b1mbold\u009b0m\n")).toBe("bold\n");
    expect(render("\x1b(B\x1b)0line\x0e\x0f\n")).toBe("line\n");
    expect(render("ding\x07\x00\n")).toBe("ding\n");
  });

  test("a sequence cut between two writes is still removed", () => {
    expect(render("red\x1b[3", "1mtext\x1b", "[0m\n")).toBe("redtext\n");
    expect(render("\x1b]0;ti", "tle\x07ok\n")).toBe("ok\n");
  });

  test("UTF-8 split between writes is decoded whole", () => {
    const bytes = new TextEncoder().encode("héllo ✓\n");
    expect(render(bytes.slice(0, 2), bytes.slice(2, 9), bytes.slice(9))).toBe("héllo ✓\n");
  });
});

describe("line edits are applied", () => {
  test("CR LF and lone LF end a line; a lone CR rewrites it", () => {
    expect(render("a\r\nb\nc\r\r\n")).toBe("a\nb\nc\n");
    expect(render("progress 10%\rprogress 100%\r\n")).toBe("progress 100%\n");
  });

  test("backspaces: \\b \\b erases, \\b then a character overwrites", () => {
    expect(render("abc\b \b\n")).toBe("ab\n");
    expect(render("abc\b\bX\n")).toBe("aXc\n");
    expect(render("\b\bx\n")).toBe("x\n");
  });

  test("readline's edits: erase to end of line, cursor moves, delete and insert", () => {
    expect(render("hello\b\x1b[K\n")).toBe("hell\n");
    expect(render("hello\x1b[3D\x1b[K!\n")).toBe("he!\n");
    expect(render("hello\x1b[2D\x1b[P\n")).toBe("helo\n");
    expect(render("hllo\x1b[3D\x1b[@e\n")).toBe("hello\n");
    expect(render("abcdef\x1b[1G\x1b[2X\n")).toBe("  cdef\n");
    expect(render("abc\x1b[2K\rxyz\n")).toBe("xyz\n");
  });

  test("tabs expand to the next multiple of 8", () => {
    expect(render("a\tb\n")).toBe("a       b\n");
  });
});

describe("reading returns new output only", () => {
  test("the unfinished last line is returned once, then only what follows it", () => {
    const t = new TerminalText();
    t.write("root@pve1:~# ");
    expect(t.read().text).toBe("root@pve1:~# ");
    t.write("echo hi\r\nhi\r\nroot@pve1:~# ");
    expect(t.read().text).toBe("echo hi\nhi\nroot@pve1:~# ");
    expect(t.read().text).toBe("");
  });

  test("a prompt whose trailing blank goes when the line ends is not repeated", () => {
    const t = new TerminalText();
    t.write("Password: ");
    expect(t.read().text).toBe("Password: ");
    t.write("\r\nLinux web-01\r\n");
    expect(t.read().text).toBe("\nLinux web-01\n");
  });

  test("a rewritten line comes back whole", () => {
    const t = new TerminalText();
    t.write("10%");
    expect(t.read().text).toBe("10%");
    t.write("\r20%\r\n");
    expect(t.read().text).toBe("20%\n");
  });

  test("max cuts the chunk and keeps the rest unread", () => {
    const t = new TerminalText();
    t.write("line one\nline two\nend");
    const first = t.read(10);
    expect(first).toEqual({ text: "line one\nl", dropped: 0, more: true });
    expect(t.read(100)).toEqual({ text: "ine two\nend", dropped: 0, more: false });
  });

  test("the buffer is bounded: old unread output is dropped and counted", () => {
    const t = new TerminalText(100);
    for (let i = 0; i < 50; i++) t.write(`line ${String(i).padStart(3, "0")}\n`);
    const chunk = t.read();
    expect(chunk.text.length).toBeLessThanOrEqual(100);
    expect(chunk.dropped).toBe(50 * 9 - chunk.text.length);
    expect(chunk.text.endsWith("line 049\n")).toBe(true);
    expect(t.read().dropped).toBe(0);
  });

  test("a line without end is wrapped rather than growing for ever", () => {
    const t = new TerminalText();
    t.write("x".repeat(9000));
    expect(t.lines).toBe(2);
    expect(
      t
        .read()
        .text.split("\n")
        .map((l) => l.length),
    ).toEqual([4000, 4000, 1000]);
  });

  test("peek shows unread output without consuming it", () => {
    const t = new TerminalText();
    t.write("a\nb");
    expect(t.peek()).toBe("a\nb");
    expect(t.read().text).toBe("a\nb");
    expect(t.peek()).toBe("");
    expect(t.hasUnread).toBe(false);
  });
});

describe("the xterm.js protocol", () => {
  test("data frames count UTF-8 bytes, not characters", () => {
    expect(dataFrame("ls\r")).toBe("0:3:ls\r");
    expect(dataFrame("héllo ✓")).toBe("0:10:héllo ✓"); // 7 characters, 10 bytes
  });

  test("keys and typed text", () => {
    expect(keySequence("enter")).toBe("\r");
    expect(keySequence("ctrl-c")).toBe("\x03");
    expect(keySequence("ctrl-d")).toBe("\x04");
    expect(keySequence("ctrl-z")).toBe("\x1a");
    expect(keySequence("up")).toBe("\x1b[A");
    expect(keySequence("backspace")).toBe("\x7f");
    expect(keySequence("f5")).toBe("\x1b[15~");
    expect(typed("ls -l\nexit\r\n")).toBe("ls -l\rexit\r");
    expect(() => keySequence("hyper-q")).toThrow("unknown key");
  });
});
