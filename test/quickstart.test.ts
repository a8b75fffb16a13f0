import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { startFakeGateway } from "../src/testing/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

describe("the README quickstart", () => {
  it("is the same code as examples/quickstart.ts", () => {
    const readme = readFileSync(`${root}/README.md`, "utf8");
    const example = readFileSync(`${root}/examples/quickstart.ts`, "utf8");
    const block = /## Quickstart[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(example);
  });

  it("runs as written against the fake gateway", async () => {
    const gateway = await startFakeGateway({ apiKey: "quickstart-key", job: { queuedPolls: 0, processingPolls: 1 } });
    try {
      const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/quickstart.ts"], {
        cwd: root,
        env: { ...process.env, PIXAZO_API_KEY: "quickstart-key", PIXAZO_BASE_URL: gateway.url },
        timeout: 30_000,
      });
      const [job] = gateway.jobs.values();
      expect(stdout.split("\n")).toEqual([
        `submitted ${job?.requestId}`,
        "status PROCESSING",
        "status COMPLETED",
        `${gateway.cdn.url}/v1/${job?.requestId}/output.mp4`,
        "",
      ]);
      expect(job?.input).toMatchObject({ duration: 6 });
    } finally {
      await gateway.close();
    }
  }, 30_000);
});
