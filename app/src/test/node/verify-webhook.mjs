// Hands a Cloud-format webhook the node delivered (its raw body, as a file, and its X-Hub-Signature-256 header) to
// two X-Hub-Signature-256 verifiers written by others: x-hub-signature, and whatsapp-api-js's webhook handler, which
// verifies the signature before it parses the body and calls the bot's on.message. Both also get the same body with
// one change ("tamper": [from, to]), which each must reject. Prints one JSON line with what each concluded.
import { readFileSync } from "node:fs";
import XHubSignature from "x-hub-signature";
import { WhatsAppAPI } from "whatsapp-api-js";

const { secret, bodyFile, signature, tamper } = JSON.parse(process.argv[2]);
const raw = readFileSync(bodyFile);
const tampered = Buffer.from(raw.toString("utf8").replace(tamper[0], tamper[1]), "utf8");
if (tampered.equals(raw)) throw new Error(`the body has no ${tamper[0]} to tamper with`);

const xHub = new XHubSignature("sha256", secret);

async function whatsappApiJs(body) {
  const bot = new WhatsAppAPI({ token: "unused", appSecret: secret, v: "v23.0" });
  let heard = null;
  bot.on.message = ({ phoneID, from, message }) => { heard = { phoneID, from, id: message.id, text: message.text?.body }; };
  try {
    await bot.post(JSON.parse(body.toString("utf8")), body.toString("utf8"), signature);
    return { accepted: true, heard };
  } catch (error) {
    return { accepted: false, error: error.constructor.name, message: error.message };
  }
}

console.log(JSON.stringify({
  xHubSignature: { genuine: xHub.verify(signature, raw), tampered: xHub.verify(signature, tampered) },
  whatsappApiJs: { genuine: await whatsappApiJs(raw), tampered: await whatsappApiJs(tampered) },
}));
