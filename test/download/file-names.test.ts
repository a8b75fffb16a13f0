import { describe, expect, it } from "vitest";
import { extensionFor, mediaFileNames, sniffExtension } from "../../src/download/file-names.js";
import type { JobStatus } from "../../src/index.js";
import { SAMPLE_VIDEO } from "../../src/testing/index.js";

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === "string" ? [...part].map((c) => c.charCodeAt(0)) : part)));

describe("file names", () => {
  it("take the extension from media_type, else from the URL's path, else bin (the reference's output.ext is no extension)", () => {
    expect(extensionFor("video/mp4", "https://cdn.example.com/v1/a/output.ext")).toBe("mp4");
    expect(extensionFor("application/octet-stream", "https://cdn.example.com/v1/a/output.webm")).toBe("webm");
    expect(extensionFor("application/octet-stream", "https://cdn.example.com/v1/a/output.ext")).toBe("bin");
  });

  it("number several media and keep a long request id short and distinct", () => {
    const job = {
      request_id: `ltx-2-3-text-to-video_${"a".repeat(200)}`,
      status: "COMPLETED",
      error: null,
      completed_at: null,
      output: { media_url: ["https://c.example/1.mp4", "https://c.example/2.mp4"], media_type: "video/mp4" },
    } satisfies JobStatus;
    const names = mediaFileNames(job);
    expect(names[0]).toMatch(/^ltx-2-3-text-to-video_a{98}-[0-9a-f]{16}-1\.mp4$/);
    expect(names[1]?.replace(/-2\.mp4$/, "")).toBe(names[0]?.replace(/-1\.mp4$/, ""));
  });
});

describe("sniffExtension", () => {
  it("names the formats by their signatures", () => {
    expect(sniffExtension(SAMPLE_VIDEO.subarray(0, 16))).toBe("mp4");
    expect(sniffExtension(bytes([0, 0, 0, 20], "ftypqt  "))).toBe("mov");
    expect(sniffExtension(bytes([0x1a, 0x45, 0xdf, 0xa3], "webm"))).toBe("webm");
    expect(sniffExtension(bytes([0x89], "PNG\r\n"))).toBe("png");
    expect(sniffExtension(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe("jpg");
    expect(sniffExtension(bytes("GIF89a"))).toBe("gif");
    expect(sniffExtension(bytes("RIFF", [1, 2, 3, 4], "WEBPVP8 "))).toBe("webp");
    expect(sniffExtension(bytes("RIFF", [1, 2, 3, 4], "WAVEfmt "))).toBe("wav");
    expect(sniffExtension(bytes("ID3", [4, 0]))).toBe("mp3");
  });

  it("names nothing it does not recognise", () => {
    expect(sniffExtension(bytes("<html><body>"))).toBeUndefined();
    expect(sniffExtension(new Uint8Array())).toBeUndefined();
  });
});
