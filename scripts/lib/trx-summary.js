// Prints "passed failed total" summed over the .trx files in a folder: the closing "N passed, N failed" line
// counts what the test runner recorded, so a skipped or missing test is never counted as passed. The names of
// failed tests go to stderr, so the end of a long CI log says which ones they were.
const fs = require("fs"), path = require("path");
const folder = process.argv[2];
let passed = 0, failed = 0, total = 0;
for (const file of fs.readdirSync(folder).filter(f => f.endsWith(".trx"))) {
  const text = fs.readFileSync(path.join(folder, file), "utf8");
  const counters = /<Counters [^>]*>/.exec(text);
  if (!counters) continue;
  const read = name => Number((new RegExp(name + "=\"(\\d+)\"").exec(counters[0]) || [0, 0])[1]);
  passed += read("passed");
  failed += read("failed") + read("error") + read("timeout") + read("aborted");
  total += read("total");
  for (const result of text.matchAll(/<UnitTestResult [^>]*>/g)) {
    const outcome = /outcome="([^"]*)"/.exec(result[0]);
    const name = /testName="([^"]*)"/.exec(result[0]);
    if (outcome && name && outcome[1] !== "Passed" && outcome[1] !== "NotExecuted") {
      console.error(`${outcome[1]}: ${name[1]}`);
    }
  }
}
console.log(passed, failed, total);
