// Loaded before every test file (bunfig.toml: [test] preload). Bun evaluates a shared module once
// per run, and a top-level afterAll belongs to the file being loaded at that moment: imported by
// the test files alone, harness.ts's checks (API schema conformance, declared endpoints) would
// belong to the first file that uses the harness and never report the later files' requests.
// Imported here, they run once after all files, over every request the run recorded.
import "./harness.ts";
