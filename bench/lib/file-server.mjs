// Serves SIZE_MB of bytes at /file.mp4 with Content-Length, from a reused buffer, in its own process.
import { createServer } from "node:http";

const chunk = Buffer.alloc(1024 * 1024, 7);
const server = createServer((req, res) => {
  const size = Number(new URL(req.url, "http://x").searchParams.get("mb")) * 1024 * 1024;
  res.writeHead(200, { "content-type": "video/mp4", "content-length": size, "accept-ranges": "bytes" });
  let sent = 0;
  const pump = () => {
    while (sent < size) {
      const part = Math.min(chunk.length, size - sent);
      sent += part;
      if (!res.write(part === chunk.length ? chunk : chunk.subarray(0, part))) return res.once("drain", pump);
    }
    res.end();
  };
  pump();
});
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("message", (message) => message === "close" && server.close(() => process.exit(0)));
