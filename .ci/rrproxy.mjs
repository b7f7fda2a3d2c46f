// A round-robin HTTP proxy, as a load balancer without affinity: each
// request goes to the next target, streamed both ways (event streams
// included), with its Host header kept.
// Usage: node rrproxy.mjs PORT TARGET_URL...   (prints "rrproxy: PORT" when listening)
import http from "node:http";

const [port, ...targets] = process.argv.slice(2);
if (!port || targets.length === 0) {
  console.error("usage: node rrproxy.mjs PORT TARGET_URL...");
  process.exit(2);
}
const ups = targets.map((t) => new URL(t));
const served = ups.map(() => 0);
let next = 0;
const server = http.createServer((req, res) => {
  const i = next++ % ups.length;
  served[i]++;
  const up = http.request({ host: ups[i].hostname, port: ups[i].port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
    res.writeHead(ur.statusCode, ur.headers);
    ur.pipe(res);
  });
  up.on("error", (e) => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
    res.end("rrproxy: " + e.message);
  });
  req.pipe(up);
});
server.listen(Number(port), "127.0.0.1", () => console.log("rrproxy: " + port));
process.on("SIGTERM", () => {
  console.log("rrproxy: requests per target " + served.join(" "));
  process.exit(0);
});
