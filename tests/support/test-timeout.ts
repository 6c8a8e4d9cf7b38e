// The default time a test (or hook) may take, for every test file. Tests start servers, processes
// and browsers on CI machines that are slow and loaded: Bun's 5 s default is too short for them.
// Bun 1.4.5 offers no setting that reaches every file: bunfig's `[test] timeout` is not read
// (oven-sh/bun#7789), and setDefaultTimeout() is per file, so called here it would hold for the
// first file only (oven-sh/bun#43787). So each test file is loaded with the call put in front of
// its first line (same line: positions in stack traces stay right). A file or a test may still
// ask for more; `bun test --timeout` is overridden by this.

import { plugin } from "bun";

const TEST_TIMEOUT_MS = 30_000;

plugin({
  name: "default test timeout",
  setup(build) {
    build.onLoad({ filter: /\.test\.ts$/ }, async ({ path }) => ({
      loader: "ts",
      contents: `import { setDefaultTimeout as __setDefaultTimeout } from "bun:test"; __setDefaultTimeout(${TEST_TIMEOUT_MS}); ${await Bun.file(path).text()}`,
    }));
  },
});
