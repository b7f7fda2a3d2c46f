// A browser of one site's cookies for the OAuth sign-in against
// clickup-mcp --auth oauth and the fake ClickUp: it follows the redirects
// from the authorization URL, presses "Continue to ClickUp" on this
// server's consent page (whose cookie must ride along on the answer and on
// ClickUp's redirect back), passes the fake's consent page, and stops at the
// client's redirect URI.
//
// As a module: browse(url, redirectPrefix) returns the redirect URI the
// browser was sent to (with code and state). As a command, it is the
// BROWSER the MCP Inspector CLI opens: it then also loads that redirect URI,
// the Inspector's own callback listener, and prints what it saw.
// Usage: node oauth-browser.mjs REDIRECT_PREFIX AUTHORIZATION_URL
import { pathToFileURL } from "node:url";

export class BrowserError extends Error {}

export async function browse(url, redirectPrefix, steps = []) {
  const serverOrigin = new URL(url).origin;
  const jar = new Map();
  const go = async (u, init = {}) => {
    const headers = { ...(init.headers || {}) };
    if (new URL(u).origin === serverOrigin && jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const r = await fetch(u, { ...init, headers, redirect: "manual", signal: AbortSignal.timeout(15000) });
    if (new URL(u).origin === serverOrigin) {
      for (const c of r.headers.getSetCookie()) {
        const [kv] = c.split(";");
        const i = kv.indexOf("=");
        jar.set(kv.slice(0, i), kv.slice(i + 1));
      }
    }
    return r;
  };
  let next = url.toString();
  for (let i = 0; i < 8 && !next.startsWith(redirectPrefix); i++) {
    let r = await go(next);
    if (r.status === 200) {
      // This server's consent page: press "Continue to ClickUp".
      const html = await r.text();
      const action = html.match(/<form method="post" action="([^"]+)">/);
      const request = html.match(/name="request" value="([^"]+)"/);
      if (!action || !request) throw new BrowserError(`browser stopped at ${next}: ${html.slice(0, 300)}`);
      steps.push("consent");
      const to = new URL(action[1], next).toString();
      r = await go(to, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ request: request[1], decision: "allow" }).toString() });
      next = to;
    }
    if (r.status < 300 || r.status >= 400) throw new BrowserError(`browser stopped at ${next}: ${r.status} ${(await r.text()).slice(0, 300)}`);
    next = new URL(r.headers.get("location"), next).toString();
  }
  if (!next.startsWith(redirectPrefix)) throw new BrowserError(`never reached ${redirectPrefix} (last: ${next})`);
  const back = new URL(next);
  if (back.searchParams.get("error")) throw new BrowserError("authorization refused: " + back.search);
  if (back.searchParams.get("state") !== new URL(url).searchParams.get("state")) throw new BrowserError("state not echoed");
  if (!back.searchParams.get("code")) throw new BrowserError("no code in " + next);
  return back;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [redirectPrefix, url] = process.argv.slice(2);
  if (!redirectPrefix || !url) {
    console.error("usage: node oauth-browser.mjs REDIRECT_PREFIX AUTHORIZATION_URL");
    process.exit(2);
  }
  try {
    const steps = [];
    const back = await browse(url, redirectPrefix, steps);
    // Hand the code to the client's callback listener, as a browser would.
    const r = await fetch(back, { signal: AbortSignal.timeout(15000) });
    await r.text();
    if (r.status !== 200) throw new BrowserError(`the client's callback answered ${r.status}`);
    console.log(`oauth-browser: OK (${[...steps, "callback " + r.status].join(" -> ")})`);
  } catch (e) {
    console.error("oauth-browser: FAILED: " + (e instanceof BrowserError ? e.message : e));
    process.exit(1);
  }
}
