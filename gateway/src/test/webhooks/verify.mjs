// Reads {"secret": "whsec_…", "headers": {…}, "body": "…"} on stdin and verifies the delivery with the
// Standard Webhooks reference implementation. Exit 0 and "verified" when valid, exit 1 otherwise.
import { Webhook } from "standardwebhooks";

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { secret, headers, body } = JSON.parse(input);
  try {
    new Webhook(secret).verify(body, headers);
    console.log("verified");
  } catch (e) {
    console.log("refused: " + e.message);
    process.exit(1);
  }
});
