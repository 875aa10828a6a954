// The Cloud API's routes besides sending, through @great-detail/whatsapp pointed at the node by its prefixUrl: upload
// an image, retrieve its URL, download it with the token, send it by its id, read and change the business profile,
// read the phone number and the WABA's numbers, mark a message read with a typing indicator, delete the image, and
// retrieve it again (which must fail). Prints one JSON line with what the node answered each call.
import { Client } from "@great-detail/whatsapp";

const { baseUrl, token, phoneNumberId, wabaId, to, image, readId } = JSON.parse(process.argv[2]);
const auth = { headers: { Authorization: `Bearer ${token}` } };
const sdk = new Client({ prefixUrl: baseUrl, request: auth });
const bytes = Buffer.from(image, "base64");

const uploaded = await (await sdk.media.upload({ phoneNumberID: phoneNumberId,
  file: new Blob([bytes], { type: "image/jpeg" }), filename: "cat.jpg", mimeType: "image/jpeg" })).json();
const retrieved = await (await sdk.media.getURL({ mediaID: uploaded.id, phoneNumberID: phoneNumberId })).json();
const downloaded = Buffer.from(await (await sdk.media.download({ mediaURL: retrieved.url, request: auth })).arrayBuffer());
const sent = await (await sdk.message.createMessage({ phoneNumberID: phoneNumberId, to, type: "image",
  image: { id: uploaded.id, caption: "Uploaded first" } })).json();

const profileChanged = await (await sdk.businessProfile.updateBusinessProfile({ phoneNumberID: phoneNumberId,
  about: "Fresh cakes daily", email: "orders@cakes.example", websites: ["https://cakes.example"], vertical: "RESTAURANT" })).json();
const profile = await (await sdk.businessProfile.getBusinessProfile({ phoneNumberID: phoneNumberId,
  fields: ["about", "email", "websites", "vertical"] })).json();
const phoneNumber = await (await sdk.phoneNumbers.getPhoneNumber({ phoneNumberID: phoneNumberId,
  fields: ["display_phone_number", "verified_name", "quality_rating"] })).json();
const phoneNumbers = await (await sdk.phoneNumbers.listPhoneNumbers({ businessAccountID: wabaId })).json();
const read = await (await sdk.message.createStatus({ phoneNumberID: phoneNumberId, message_id: readId, status: "read",
  typing_indicator: { type: "text" } })).json();

const deleted = await (await sdk.media.delete({ mediaID: uploaded.id, phoneNumberID: phoneNumberId })).json();
let afterDelete;
try {
  await sdk.media.getURL({ mediaID: uploaded.id });
  afterDelete = { thrown: null };
} catch (error) {
  if (error.name !== "HTTPError") throw error;
  afterDelete = { thrown: error.name, status: error.response.status, ...(await error.response.json()) };
}
console.log(JSON.stringify({ uploaded, retrieved, downloadedBase64: downloaded.toString("base64"), sent, profileChanged,
  profile, phoneNumber, phoneNumbers, read, deleted, afterDelete }));
