// Media through whatsapp-api-js, whose calls go to https://graph.facebook.com and are sent to the node instead by the
// fetch it is given (its ponyfill.fetch option): upload an image (the library sends messaging_product in the query),
// retrieve it, fetch its bytes with the token, send it by its id, mark a message read with a typing indicator, delete
// it and retrieve it again (which must fail). Prints one JSON line with the library's answers.
import { WhatsAppAPI } from "whatsapp-api-js";
import { Image } from "whatsapp-api-js/messages";

const { baseUrl, token, phoneNumberId, to, image, readId } = JSON.parse(process.argv[2]);
const GRAPH = "https://graph.facebook.com";
const toNode = (url, options) => fetch(String(url).replace(GRAPH, baseUrl), options);
const bot = new WhatsAppAPI({ token, v: "v23.0", secure: false, ponyfill: { fetch: toNode } });

const form = new FormData();
form.append("file", new Blob([Buffer.from(image, "base64")], { type: "image/jpeg" }), "cat.jpg");
const uploaded = await bot.uploadMedia(phoneNumberId, form);
const retrieved = await bot.retrieveMedia(uploaded.id, phoneNumberId);
const fetched = await bot.fetchMedia(retrieved.url);
const downloaded = Buffer.from(await fetched.arrayBuffer());
const sent = await bot.sendMessage(phoneNumberId, to, new Image(uploaded.id, true, "Uploaded first"));
const read = await bot.markAsRead(phoneNumberId, readId, "text");
const deleted = await bot.deleteMedia(uploaded.id, phoneNumberId);
const afterDelete = await bot.retrieveMedia(uploaded.id);
console.log(JSON.stringify({ uploaded, retrieved, downloadedBase64: downloaded.toString("base64"), sent, read, deleted,
  afterDelete }));
