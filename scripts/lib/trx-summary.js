// Prints "passed failed total" summed over the .trx files in a folder: the closing "N passed, N failed" line
// counts what the test runner recorded, so a skipped or missing test is never counted as passed. The names of
// failed tests and the first lines of their messages go to stderr, so the end of a long CI log says which ones
// they were and why, however much the tests printed before.
const fs = require("fs"), path = require("path");
const folder = process.argv[2];
const messageLines = 8;
let passed = 0, failed = 0, total = 0;
const unescape = text => text
  .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&apos;/g, "'")
  .replace(/&#x([0-9a-fA-F]+);/g, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
  .replace(/&#(\d+);/g, (_, dec) => String.fromCodePoint(Number(dec)))
  .replace(/&amp;/g, "&");
for (const file of fs.readdirSync(folder).filter(f => f.endsWith(".trx"))) {
  const text = fs.readFileSync(path.join(folder, file), "utf8");
  const counters = /<Counters [^>]*>/.exec(text);
  if (!counters) continue;
  const read = name => Number((new RegExp(name + "=\"(\\d+)\"").exec(counters[0]) || [0, 0])[1]);
  passed += read("passed");
  failed += read("failed") + read("error") + read("timeout") + read("aborted");
  total += read("total");
  for (const result of text.matchAll(/<UnitTestResult [^>]*?(?:\/>|>[\s\S]*?<\/UnitTestResult>)/g)) {
    const outcome = /outcome="([^"]*)"/.exec(result[0]);
    const name = /testName="([^"]*)"/.exec(result[0]);
    if (!outcome || !name || outcome[1] === "Passed" || outcome[1] === "NotExecuted") continue;
    console.error(`${outcome[1]}: ${unescape(name[1])}`);
    const message = /<Message>([\s\S]*?)<\/Message>/.exec(result[0]);
    const stack = /<StackTrace>([\s\S]*?)<\/StackTrace>/.exec(result[0]);
    const lines = [
      ...(message ? unescape(message[1]).split("\n").slice(0, messageLines) : []),
      ...(stack ? unescape(stack[1]).split("\n").slice(0, 12) : []),
    ];
    for (const line of lines) console.error(`    ${line.trimEnd()}`);
  }
}
console.log(passed, failed, total);
