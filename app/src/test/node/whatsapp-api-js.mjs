// Sends through whatsapp-api-js, which always calls https://graph.facebook.com: its ponyfill.fetch option (the fetch
// it calls) gets one that sends the same request to the node's HTTPS listener instead (the node's certificate is
// trusted through NODE_EXTRA_CA_CERTS). A text (the one given), a document by link, interactive buttons and a list,
// and a read mark of a message the number received; then three calls the node must refuse. Prints one JSON line: the
// library's answers (for a refusal, the Graph error, which the library returns rather than throws).
import { WhatsAppAPI } from "whatsapp-api-js";
import { Text, Document, Interactive, ActionButtons, Button, ActionList, ListSection, Row, Body } from "whatsapp-api-js/messages";

const { baseUrl, token, phoneNumberId, to, mediaLink, text, readId } = JSON.parse(process.argv[2]);
const GRAPH = "https://graph.facebook.com";
const toNode = (url, options) => fetch(String(url).replace(GRAPH, baseUrl), options);
const api = (bearer) => new WhatsAppAPI({ token: bearer, v: "v23.0", secure: false, ponyfill: { fetch: toNode } });
const bot = api(token);

const sent = {
  text: await bot.sendMessage(phoneNumberId, to.text, new Text(text)),
  document: await bot.sendMessage(phoneNumberId, to.document, new Document(mediaLink, false, "The invoice", "invoice.pdf")),
  buttons: await bot.sendMessage(phoneNumberId, to.buttons,
    new Interactive(new ActionButtons(new Button("yes", "Yes"), new Button("no", "No")), new Body("Ship it?"))),
  list: await bot.sendMessage(phoneNumberId, to.list, new Interactive(
    new ActionList("Sizes", new ListSection("Sizes", new Row("s", "Small"), new Row("l", "Large", "Roomy"))),
    new Body("Pick a size"))),
};
const read = await bot.markAsRead(phoneNumberId, readId);
const errors = {
  badToken: await api("not-a-token").sendMessage(phoneNumberId, to.text, new Text("hi")),
  invalid: await bot.sendMessage(phoneNumberId, "not-a-number", new Text("hi")),
  missing: await bot.sendMessage(phoneNumberId, to.text, new Interactive(new ActionButtons(new Button("a", "A")))),
};
console.log(JSON.stringify({ sent, read, errors }));
