// Drives the official TypeScript SDK client's own OAuth support
// (@modelcontextprotocol/sdk) through clickup-mcp --auth oauth, with the
// fake ClickUp as the consent page: 401 -> metadata -> registration ->
// authorization with PKCE -> this server's consent page -> ClickUp's consent -> token -> tools/call as the user
// who approved; then a refresh, and a made-up token refused.
// Usage: node oauth-client.mjs SERVER_URL EXPECTED_USERNAME
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { browse, BrowserError } from "./oauth-browser.mjs";

const [server, wantUser] = process.argv.slice(2);
if (!server || !wantUser) {
  console.error("usage: node oauth-client.mjs SERVER_URL EXPECTED_USERNAME");
  process.exit(2);
}
const redirectUrl = "http://127.0.0.1:53682/callback";
const fail = (msg) => {
  console.error("oauth-client: FAILED: " + msg);
  process.exit(1);
};

// A provider that keeps everything in memory and plays the browser
// (oauth-browser.mjs): it follows the redirects and hands the code back.
class Provider {
  constructor() {
    this.client = undefined;
    this.tok = undefined;
    this.verifier = undefined;
    this.code = undefined;
    this.steps = [];
  }
  get redirectUrl() { return redirectUrl; }
  get clientMetadata() {
    return { client_name: "ts-sdk-ci", redirect_uris: [redirectUrl], grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"], token_endpoint_auth_method: "none" };
  }
  state() { return "ci-state-" + Math.random().toString(36).slice(2); }
  clientInformation() { return this.client; }
  saveClientInformation(info) { this.steps.push("registered"); this.client = info; }
  tokens() { return this.tok; }
  saveTokens(t) { this.steps.push("tokens"); this.tok = t; }
  saveCodeVerifier(v) { this.verifier = v; }
  codeVerifier() { return this.verifier; }
  async redirectToAuthorization(url) {
    this.steps.push("authorize");
    try {
      this.code = (await browse(url, redirectUrl, this.steps)).searchParams.get("code");
    } catch (e) {
      fail(e instanceof BrowserError ? e.message : String(e));
    }
  }
}

const mcpURL = new URL("/mcp", server);
const provider = new Provider();
const connect = async () => {
  const client = new Client({ name: "ts-sdk-oauth-ci", version: "1" });
  const transport = new StreamableHTTPClientTransport(mcpURL, { authProvider: provider });
  return { client, transport, done: client.connect(transport) };
};

let { client, transport, done } = await connect();
try {
  await done;
  fail("connected without signing in");
} catch (e) {
  if (!(e instanceof UnauthorizedError)) fail("first connect: " + e);
}
if (!provider.code) fail("the SDK never asked to authorize");
await transport.finishAuth(provider.code);
({ client, transport, done } = await connect());
await done;
const who = await client.callTool({ name: "clickup_whoami", arguments: {} });
const text = JSON.stringify(who);
if (who.isError || !text.includes(wantUser)) fail("whoami: " + text.slice(0, 400));
await client.close();

// Refresh: the SDK uses the refresh token when the server says the access
// token is no longer good; force it by dropping the access token.
const before = provider.tok.refresh_token;
provider.tok = { ...provider.tok, access_token: "ory_at_expired.bogus" };
({ client, transport, done } = await connect());
await done;
const again = await client.callTool({ name: "clickup_whoami", arguments: {} });
if (again.isError || !JSON.stringify(again).includes(wantUser)) fail("whoami after refresh");
if (provider.tok.refresh_token === before) fail("the refresh token did not rotate");
await client.close();

console.log("oauth-client: OK (" + provider.steps.join(" -> ") + "; whoami is " + wantUser + ")");
