// A minimal gateway stand-in in its own process: canned submit and status replies over
// keep-alive HTTP, so the bench measures the client side only.
import { createServer } from "node:http";

let counter = 0;
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    let body;
    if (req.method === "POST") {
      counter += 1;
      const id = `ltx-2-3-text-to-video_${counter}`;
      res.statusCode = 202;
      body = JSON.stringify({
        request_id: id,
        status: "QUEUED",
        polling_url: `http://127.0.0.1/v2/requests/status/${id}`,
      });
    } else {
      const id = req.url.split("/").pop();
      body = JSON.stringify({
        request_id: id,
        status: "COMPLETED",
        model_id: "ltx-2-3-text-to-video",
        error: null,
        output: { media_url: [`https://cdn.example/v1/${id}/output.mp4`], media_type: "video/mp4" },
        created_at: "2026-03-31T10:00:00.000Z",
        updated_at: "2026-03-31T10:00:15.000Z",
        completed_at: "2026-03-31T10:00:15.000Z",
      });
    }
    res.setHeader("content-type", "application/json");
    res.setHeader("content-length", Buffer.byteLength(body));
    res.end(body);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("message", (message) => {
  if (message === "close") server.close(() => process.exit(0));
});
