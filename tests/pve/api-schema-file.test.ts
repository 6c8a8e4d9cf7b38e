// Where a PVE host keeps its API schema, and how it is read: the pve-docs package installs
// api-viewer/apidoc.js (apidata.js with the viewer's code after it), never apidata.js itself.

import { afterEach, expect, test } from "bun:test";
import { type MockServer, startMock } from "../../src/mock/index.ts";
import { API_SCHEMA_PATH, parseApiSchema } from "../../src/pve/api-schema.ts";

const NODE = {
  path: "/version",
  text: "version",
  leaf: 1,
  info: { GET: { method: "GET", description: 'API version [with brackets] and "quotes"' } },
};

test("apidoc.js: the schema array is cut out of the code that follows it", () => {
  const apidoc = `const apiSchema = ${JSON.stringify([NODE], null, 3)}\n;\nExt.define("PVE.RestProxy", { extend: ["Ext.data.RestProxy"], a: [1, [2]] });\n`;
  expect(parseApiSchema(apidoc)).toEqual([NODE]);
});

test("apidata.js and a bare JSON array read the same", () => {
  expect(parseApiSchema(`const apiSchema = ${JSON.stringify([NODE])};\n`)).toEqual([NODE]);
  expect(parseApiSchema(JSON.stringify([NODE]))).toEqual([NODE]);
});

test("an unfinished array or something else is refused", () => {
  expect(() => parseApiSchema("const apiSchema = [ {")).toThrow("no API schema array found");
  expect(() => parseApiSchema("[1, 2]")).toThrow("not an API schema");
});

let mock: MockServer | undefined;
afterEach(() => mock?.stop());

test("the simulated host serves apidoc.js, as the package installs it, and no apidata.js", async () => {
  mock = await startMock({ tls: false });
  expect(API_SCHEMA_PATH).toBe("/pve-docs/api-viewer/apidoc.js");
  const apidoc = await fetch(`${mock.url}${API_SCHEMA_PATH}`);
  expect(apidoc.status).toBe(200);
  const text = await apidoc.text();
  expect(text.startsWith("const apiSchema = [")).toBe(true);
  expect(text.trimEnd().endsWith("});")).toBe(true); // the viewer's code follows the schema
  expect(parseApiSchema(text).some((n) => n.path === "/nodes")).toBe(true);
  const apidata = await fetch(`${mock.url}/pve-docs/api-viewer/apidata.js`);
  expect(apidata.status).toBe(404);
});
