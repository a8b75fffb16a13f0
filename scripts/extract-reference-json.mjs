// Extracts every JSON block of the gateway's API reference (a text export of its pages) into
// test/fixtures/reference-json-blocks.json, each with its model, section and kind, so the tests
// parse all of them with the SDK's schemas and compare the fake gateway's answers with them.
//
//   node scripts/extract-reference-json.mjs path/to/reference.txt
//
// Kinds: "request" (a submit body), "submit-reply" (the 202 reply), "status-reply" (a completed
// status read), "callback" (a webhook payload), "status-error" (an ERROR status), "error-body"
// (a refused submit; `httpStatus` from the block's leading comment).
import { readFileSync, writeFileSync } from "node:fs";

const [referencePath] = process.argv.slice(2);
if (!referencePath) throw new Error("usage: node scripts/extract-reference-json.mjs <reference.txt>");
const text = readFileSync(referencePath, "utf8");
const lines = text.split("\n");

/** Each model's submit path on the gateway, as the reference's "Request Code" blocks POST it. */
const MODEL_BY_PATH = {
  "/ltx-2-3-text-to-video/": "ltx-2-3-text-to-video",
  "/ltx-2-3-image-to-video/": "ltx-2-3-image-to-video",
  "/ltx-2-3-audio-to-video/": "ltx-2-3-audio-to-video",
  "/ltx-2-3-retake-video/": "ltx-2-3-retake-video",
  "/lightricks/": "lightricks-video",
  "/ltx-2-19b-api-513/": "ltx-2-19b-api-513",
  "/ltx-2-video-api-581/": "ltx-2-video-api-581",
};

const KIND_BY_SECTION = {
  "Request Code": "request",
  "Example Request": "request",
  "Minimum Request": "request",
  "Full Request (all options)": "request",
  Output: "submit-reply",
  Response: "submit-reply",
  "Response (Completed)": "status-reply",
  "Callback Payload": "callback",
  "Failure callback shape": "callback",
  "Error via Status/Webhook": "status-error",
  "Queue System Errors": "error-body",
};

/** The nearest `##` heading above a line, and the nearest `###` below that heading. */
function sectionAt(lineIndex) {
  let subsection;
  for (let index = lineIndex; index >= 0; index--) {
    const line = lines[index] ?? "";
    if (subsection === undefined && line.startsWith("### ")) subsection = line.slice(4).trim();
    if (line.startsWith("## ")) return { section: line.slice(3).trim(), subsection };
  }
  return { section: "", subsection };
}

let model;
const blocks = [];
for (const match of text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
  const block = match[1] ?? "";
  const line = text.slice(0, match.index).split("\n").length;
  const posted = /^POST https:\/\/gateway\.pixazo\.ai(\/[^ \n]+)/m.exec(block)?.[1];
  if (posted) model = Object.entries(MODEL_BY_PATH).find(([prefix]) => posted.startsWith(prefix))?.[1];
  // An HTTP request block: request line and headers, then the JSON body.
  const json = posted ? block.slice(block.indexOf("{")) : block;
  const comment = /^\s*\/\/\s*(\d{3})/.exec(json)?.[1];
  let body;
  try {
    body = JSON.parse(json.replace(/^\s*\/\/.*$/gm, ""));
  } catch {
    continue;
  }
  const { section, subsection } = sectionAt(line - 2);
  const heading = section.startsWith("Request Code") ? "Request Code" : (subsection ?? section);
  const kind = KIND_BY_SECTION[heading] ?? KIND_BY_SECTION[section];
  if (!kind || !model) throw new Error(`line ${line}: no kind or model for "${section}" / "${subsection}"`);
  blocks.push({
    line,
    model,
    section: heading,
    kind,
    ...(comment ? { httpStatus: Number(comment) } : {}),
    body,
  });
}
writeFileSync(
  new URL("../test/fixtures/reference-json-blocks.json", import.meta.url),
  `${JSON.stringify(blocks, null, 2)}\n`,
);
console.log(`${blocks.length} JSON blocks written`);
