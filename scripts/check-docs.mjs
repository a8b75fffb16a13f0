// Every relative link in the README and the guides leads somewhere: the file exists, and a
// `#fragment` names a heading of it (as GitHub makes heading anchors). Links to other sites are
// not followed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";

const pages = [
  "README.md",
  "CHANGELOG.md",
  ...readdirSync("docs")
    .filter((name) => name.endsWith(".md"))
    .map((name) => join("docs", name)),
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");

/** The anchors of a markdown file, outside code fences. */
function anchorsOf(file) {
  const anchors = new Set();
  let fenced = false;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.+)$/.exec(line);
    if (heading) anchors.add(slug(heading[1]));
  }
  return anchors;
}

const broken = [];
for (const page of pages) {
  let fenced = false;
  for (const [number, line] of readFileSync(page, "utf8").split("\n").entries()) {
    if (line.startsWith("```")) fenced = !fenced;
    if (fenced) continue;
    for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const [path, fragment] = target.split("#");
      const file = path ? normalize(join(dirname(page), path)) : page;
      const where = `${page}:${number + 1} → ${target}`;
      if (!existsSync(file)) broken.push(`${where}: no such file`);
      else if (fragment && file.endsWith(".md") && !anchorsOf(file).has(fragment))
        broken.push(`${where}: no such heading`);
    }
  }
}
if (broken.length > 0) throw new Error(`broken links:\n${broken.join("\n")}`);
console.log(`links: every relative link of ${pages.length} pages leads somewhere`);
