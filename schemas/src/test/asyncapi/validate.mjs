// Validates an AsyncAPI document with the reference parser (@asyncapi/parser) and prints every
// diagnostic as a JSON line. Exit code: 0 valid (no errors), 1 invalid, 2 usage.
import { Parser, fromFile } from '@asyncapi/parser';

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate.mjs <asyncapi.yaml>');
  process.exit(2);
}
const parser = new Parser();
const { document, diagnostics } = await fromFile(parser, file).parse();
for (const d of diagnostics) {
  console.log(JSON.stringify({ severity: d.severity, code: d.code, message: d.message, path: d.path }));
}
const errors = diagnostics.filter((d) => d.severity === 0);
if (!document || errors.length > 0) {
  console.error(`INVALID: ${errors.length} error(s)`);
  process.exit(1);
}
console.log(JSON.stringify({ valid: true, channels: document.channels().all().map((c) => c.address()) }));
