// Small helpers for .ci/real-clients.sh that need no curl or python:
//
//   node .ci/probe.mjs free-port                 print a free TCP port on 127.0.0.1
//   node .ci/probe.mjs wait URL SECONDS          wait until URL answers 200
//   node .ci/probe.mjs capabilities URL          initialize over streamable HTTP and
//                                                print the server's capability names
//   node .ci/probe.mjs checks DIR SCENARIO       the conformance suite's checks.json for
//                                                SCENARIO under DIR: no FAILURE, some SUCCESS
//   node .ci/probe.mjs suite DIR NAMES INAPPLICABLE  every scenario named in the file NAMES
//                                                (one a line) against its results under DIR
//                                                (from one --suite all run): prints each as
//                                                passed, inapplicable (with the reason, from the
//                                                file INAPPLICABLE: "scenario reason" lines, or
//                                                every check skipped by the suite itself) or
//                                                FAILED, then the counts; exits 1 on a failure
//   node .ci/probe.mjs host-check BASE           a foreign Host alone, and a foreign Origin
//                                                alone, must each get a 4xx
//   node .ci/probe.mjs tools FILE                an Inspector tools/list result: tools, each
//                                                with an object input schema
//   node .ci/probe.mjs call FILE                 an Inspector tools/call result: not isError,
//                                                with text and structured content
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";

const [cmd, ...args] = process.argv.slice(2);

function fail(msg) {
  console.error(`probe: ${msg}`);
  process.exit(1);
}

async function freePort() {
  const srv = net.createServer();
  await new Promise((resolve, reject) => {
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", resolve);
  });
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  console.log(port);
}

async function wait(url, seconds) {
  const deadline = Date.now() + Number(seconds) * 1000;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`${url} not ready after ${seconds}s (${last})`);
}

// A streamable HTTP server may answer a POST with JSON or with an SSE
// stream; take the first JSON-RPC message either way.
async function rpc(url, body, headers = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      ...headers,
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  const text = await res.text();
  if (res.status !== 200) fail(`${body.method}: HTTP ${res.status}: ${text.slice(0, 300)}`);
  let payload = text;
  if ((res.headers.get("content-type") ?? "").includes("text/event-stream")) {
    const data = text
      .split(/\r?\n/)
      .filter((l) => l.startsWith("data:"))
      .map((l) => l.slice(5).trim());
    if (data.length === 0) fail(`${body.method}: empty event stream`);
    payload = data[0];
  }
  return { msg: JSON.parse(payload), session: res.headers.get("mcp-session-id") };
}

async function capabilities(url) {
  const { msg, session } = await rpc(url, {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "clickup-mcp-ci-probe", version: "1" },
    },
  });
  if (!msg.result?.capabilities) fail(`initialize: no capabilities in ${JSON.stringify(msg).slice(0, 300)}`);
  if (session) {
    // Best effort: end the session so the server does not keep it.
    await fetch(url, { method: "DELETE", headers: { "Mcp-Session-Id": session } }).catch(() => {});
  }
  console.log(Object.keys(msg.result.capabilities).sort().join(" "));
}

function checks(dir, scenario) {
  const runs = fs
    .readdirSync(dir)
    .filter((d) => d.startsWith(`server-${scenario}-`))
    .sort();
  if (runs.length === 0) fail(`no results for ${scenario} under ${dir}`);
  const file = path.join(dir, runs[runs.length - 1], "checks.json");
  const list = JSON.parse(fs.readFileSync(file, "utf8"));
  const by = {};
  for (const c of list) (by[c.status] ??= []).push(c.id);
  console.log(`${scenario}: ${JSON.stringify(by)}`);
  if (by.FAILURE) fail(`${scenario}: failed checks ${by.FAILURE.join(", ")} (${file})`);
  if (!by.SUCCESS) fail(`${scenario}: no successful checks (${file})`);
}

function suite(dir, namesFile, inapplicableFile) {
  const names = fs.readFileSync(namesFile, "utf8").split("\n").map((l) => l.trim()).filter(Boolean);
  const why = {};
  for (const line of fs.readFileSync(inapplicableFile, "utf8").split("\n")) {
    const m = line.match(/^(\S+)\s+(.+)$/);
    if (m && !m[1].startsWith("#")) why[m[1]] = m[2];
  }
  const runs = fs.readdirSync(dir);
  const count = { passed: 0, inapplicable: 0, failed: 0 };
  const untestable = (c) => c.details && c.details.untestable;
  for (const name of names) {
    // server-<scenario>-<ISO timestamp>; the newest run wins.
    const run = runs.filter((d) => d.startsWith(`server-${name}-`) && /^\d{4}-/.test(d.slice(`server-${name}-`.length))).sort().pop();
    let list = null;
    if (run) {
      try {
        list = JSON.parse(fs.readFileSync(path.join(dir, run, "checks.json"), "utf8"));
      } catch {}
    }
    const of = (st) => (list ?? []).filter((c) => c.status === st);
    const failures = of("FAILURE");
    const real = failures.filter((c) => !untestable(c));
    const warn = of("WARNING").map((c) => c.id);
    const note = warn.length ? ` (warnings: ${warn.join(", ")})` : "";
    let verdict;
    if (why[name] && (list === null || failures.length > 0)) {
      verdict = `inapplicable: ${why[name]}` + (failures.length ? ` [failed checks: ${failures.map((c) => c.id).join(", ")}]` : "");
      count.inapplicable++;
    } else if (list === null) {
      verdict = "FAILED: no checks.json";
      count.failed++;
    } else if (real.length > 0) {
      verdict = `FAILED: ${real.map((c) => `${c.id}: ${(c.errorMessage ?? "").slice(0, 160)}`).join("; ")}`;
      count.failed++;
    } else if (of("SUCCESS").length === 0) {
      verdict = `inapplicable: the suite skipped or could not test every check (${(list[0]?.errorMessage ?? "").slice(0, 100)})`;
      count.inapplicable++;
    } else {
      verdict = "passed" + (failures.length ? ` (${failures.length} checks need the suite's fixture tools: untestable here)` : "") + note;
      count.passed++;
    }
    console.log(`   ${name}: ${verdict}`);
  }
  console.log(`   ${names.length} scenarios: ${count.passed} passed, ${count.inapplicable} inapplicable, ${count.failed} failed`);
  if (count.failed) process.exit(1);
}

// request sends one raw HTTP request; node:http, unlike fetch, lets us set Host.
function request(base, method, p, headers, body) {
  return new Promise((resolve, reject) => {
    const u = new URL(p, base);
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname, method, headers, timeout: 10000 },
      (res) => {
        res.resume();
        resolve(res.statusCode);
        // An accepted SSE stream stays open: do not wait for its end.
        req.destroy();
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(body);
  });
}

// The conformance suite sends a foreign Host and Origin together, so a
// server checking only one of them passes it. Check each alone.
async function hostCheck(base) {
  const init = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "host-check", version: "1" } },
  });
  const post = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };
  const local = new URL(base).host;
  const cases = [
    ["POST /mcp, Host evil.example.com", "POST", "/mcp", { ...post, Host: "evil.example.com" }, init],
    ["POST /mcp, Host evil.example.com:80", "POST", "/mcp", { ...post, Host: "evil.example.com:80" }, init],
    ["POST /mcp, Origin http://evil.example.com", "POST", "/mcp", { ...post, Host: local, Origin: "http://evil.example.com" }, init],
    ["GET /sse, Host evil.example.com", "GET", "/sse", { Accept: "text/event-stream", Host: "evil.example.com" }],
    ["GET /sse, Origin http://evil.example.com", "GET", "/sse", { Accept: "text/event-stream", Host: local, Origin: "http://evil.example.com" }],
  ];
  const bad = [];
  for (const [name, method, p, headers, body] of cases) {
    const status = await request(base, method, p, headers, body);
    console.log(`${name}: ${status}`);
    if (status < 400 || status >= 500) bad.push(`${name} got ${status}`);
  }
  // And the same requests from localhost must still work.
  const ok = await request(base, "POST", "/mcp", { ...post, Host: local }, init);
  console.log(`POST /mcp, Host ${local}: ${ok}`);
  if (ok !== 200) bad.push(`POST /mcp with Host ${local} got ${ok}, want 200`);
  if (bad.length) fail(`DNS-rebinding protection: ${bad.join("; ")}`);
}

function readResult(file) {
  const j = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!j.result) fail(`no result in ${file}`);
  return j.result;
}

function tools(file) {
  const { tools } = readResult(file);
  if (!Array.isArray(tools) || tools.length === 0) fail("tools/list returned no tools");
  for (const t of tools) {
    if (t.inputSchema?.type !== "object") fail(`${t.name}: input schema is not type object`);
  }
  console.log(`${tools.length} tools: ${tools.map((t) => t.name).join(" ")}`);
}

function call(file) {
  const r = readResult(file);
  if (r.isError) fail(`isError result: ${JSON.stringify(r.content).slice(0, 300)}`);
  if (!r.content?.some((c) => c.type === "text" && c.text)) fail("no text content");
  if (typeof r.structuredContent !== "object" || r.structuredContent === null) fail("no structured content");
  console.log(`ok: ${r.content[0].text.split("\n")[0]}`);
}

try {
  switch (cmd) {
    case "free-port":
      await freePort();
      break;
    case "wait":
      await wait(args[0], args[1] ?? 30);
      break;
    case "capabilities":
      await capabilities(args[0]);
      break;
    case "checks":
      checks(args[0], args[1]);
      break;
    case "suite":
      suite(args[0], args[1], args[2]);
      break;
    case "host-check":
      await hostCheck(args[0]);
      break;
    case "tools":
      tools(args[0]);
      break;
    case "call":
      call(args[0]);
      break;
    default:
      fail(`unknown command ${cmd ?? "(none)"}`);
  }
} catch (e) {
  fail(`${cmd}: ${e.message}`);
}
