// A small MCP Apps host in a web page, for the browser tests and the screenshots: an MCP client
// over Streamable HTTP to our server, ext-apps' AppBridge, and the view in a sandboxed iframe
// under the spec's restrictive default CSP. Like a real host it asks the person when the server
// elicits a confirmation (a dialog the test answers), and lets the view call only app tools.
// Parameters come in the page's hash as JSON (HostParams).

import {
  AppBridge,
  getToolUiResourceUri,
  PostMessageTransport,
  RESOURCE_MIME_TYPE,
} from "@modelcontextprotocol/ext-apps/app-bridge";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  type CallToolResult,
  ElicitRequestSchema,
  type ElicitResult,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import type { HostParams } from "./params.ts";

/** The spec's restrictive default, for a view that declares no domains. */
const CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; media-src data:; connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";

const params = JSON.parse(decodeURIComponent(location.hash.slice(1))) as HostParams;
document.documentElement.style.colorScheme = params.theme;
document.documentElement.dataset.theme = params.theme;

const state = {
  ready: false,
  error: "",
  opened: [] as string[],
  messages: [] as unknown[],
  /** tools/call requests from the view, in order. */
  calls: [] as { name: string; arguments?: Record<string, unknown> }[],
  /** elicitation questions and the answer given. */
  asked: [] as { message: string; answer: string }[],
  setTheme: (_theme: "light" | "dark") => {},
};
(window as unknown as { host: typeof state }).host = state;

/** Shows the server's question; resolves with the person's answer (the test clicks). */
function ask(message: string): Promise<ElicitResult> {
  const dialog = document.getElementById("confirm") as HTMLDialogElement;
  (dialog.querySelector(".question") as HTMLElement).textContent = message;
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener(
      "close",
      () => {
        const accepted = dialog.returnValue === "allow";
        state.asked.push({ message, answer: accepted ? "accept" : "decline" });
        resolve(
          accepted ? { action: "accept", content: { confirm: true } } : { action: "decline" },
        );
      },
      { once: true },
    );
  });
}

async function main(): Promise<void> {
  const client = new Client(
    { name: "proxmox-mcp-test-host", version: "1.0.0" },
    {
      capabilities: {
        ...(params.elicitation === false ? {} : { elicitation: {} }),
        extensions: { "io.modelcontextprotocol/ui": { mimeTypes: [RESOURCE_MIME_TYPE] } },
      },
    },
  );
  if (params.elicitation !== false) {
    client.setRequestHandler(ElicitRequestSchema, (request) => ask(request.params.message));
  }
  await client.connect(
    new StreamableHTTPClientTransport(new URL(params.server), {
      requestInit: { headers: { Authorization: `Bearer ${params.token}` } },
    }),
  );
  const { tools } = await client.listTools();
  const byName = new Map<string, Tool>(tools.map((t) => [t.name, t]));
  const tool = byName.get(params.tool);
  const uri = tool && getToolUiResourceUri(tool);
  if (!uri) throw new Error(`${params.tool} declares no view`);
  const [content] = (await client.readResource({ uri })).contents as {
    mimeType?: string;
    text?: string;
  }[];
  if (content?.mimeType !== RESOURCE_MIME_TYPE || !content.text) {
    throw new Error(`${uri} is not an MCP Apps view (${content?.mimeType})`);
  }

  const iframe = document.createElement("iframe");
  iframe.setAttribute("sandbox", "allow-scripts");
  iframe.title = params.tool;
  if (params.height) iframe.style.height = `${params.height}px`;
  document.getElementById("stage")?.append(iframe);

  const bridge = new AppBridge(
    client,
    { name: "proxmox-mcp-test-host", version: "1.0.0" },
    { openLinks: {}, serverTools: {}, serverResources: {}, logging: {}, message: { text: {} } },
    {
      hostContext: {
        theme: params.theme,
        platform: "web",
        displayMode: "inline",
        locale: "en-GB",
        timeZone: "UTC",
        containerDimensions: params.height
          ? { height: params.height, width: iframe.clientWidth }
          : { maxHeight: params.maxHeight ?? 4000, width: iframe.clientWidth },
      },
    },
  );
  bridge.onsizechange = ({ height }) => {
    if (height !== undefined && !params.height) iframe.style.height = `${height}px`;
  };
  bridge.onopenlink = async ({ url }) => {
    state.opened.push(url);
    return {};
  };
  bridge.onmessage = async (message) => {
    state.messages.push(message);
    return {};
  };
  bridge.onloggingmessage = (log) => console.info("view log:", JSON.stringify(log.data));
  const initialized = new Promise<void>((resolve) => {
    bridge.oninitialized = () => resolve();
  });
  const frame = iframe.contentWindow;
  if (!frame) throw new Error("the iframe has no window");
  await bridge.connect(new PostMessageTransport(frame, frame));
  // Like a real host: a view may call only tools meant for apps, and may wait for a person.
  bridge.oncalltool = async (call, extra) => {
    const target = byName.get(call.name);
    const visibility = (target?._meta?.ui as { visibility?: string[] } | undefined)?.visibility;
    if (!target || (visibility && !visibility.includes("app"))) {
      throw new Error(`the view may not call ${call.name}`);
    }
    state.calls.push({ name: call.name, arguments: call.arguments });
    return (await client.callTool(call, undefined, {
      signal: extra.signal,
      timeout: 15 * 60 * 1000,
    })) as CallToolResult;
  };
  state.setTheme = (theme) => {
    document.documentElement.style.colorScheme = theme;
    void bridge.sendHostContextChange({ theme });
  };
  iframe.srcdoc = content.text.replace(
    "<head>",
    `<head><meta http-equiv="Content-Security-Policy" content="${CSP}">`,
  );
  await initialized;
  await bridge.sendToolInput({ arguments: params.args });
  const result = (await client.callTool({
    name: params.tool,
    arguments: params.args,
  })) as CallToolResult;
  await bridge.sendToolResult(result);
  state.ready = true;
}

main().catch((error: Error) => {
  state.error = error.message;
  console.error("host failed:", error);
});
