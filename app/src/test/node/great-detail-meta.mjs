// @great-detail/whatsapp, pointed at the node, on a number the node connects to Meta's Cloud API: change and read the
// business profile, read the phone number and its settings, and mark a message read with a typing indicator. Prints
// one JSON line with what the node answered each call.
import { Client } from "@great-detail/whatsapp";

const { baseUrl, token, phoneNumberId, readId } = JSON.parse(process.argv[2]);
const sdk = new Client({ prefixUrl: baseUrl, request: { headers: { Authorization: `Bearer ${token}` } } });

const profileChanged = await (await sdk.businessProfile.updateBusinessProfile({ phoneNumberID: phoneNumberId,
  about: "Changed by a library", vertical: "RESTAURANT" })).json();
const profile = await (await sdk.businessProfile.getBusinessProfile({ phoneNumberID: phoneNumberId,
  fields: ["about", "vertical"] })).json();
const phoneNumber = await (await sdk.phoneNumbers.getPhoneNumber({ phoneNumberID: phoneNumberId })).json();
const read = await (await sdk.message.createStatus({ phoneNumberID: phoneNumberId, message_id: readId, status: "read",
  typing_indicator: { type: "text" } })).json();
console.log(JSON.stringify({ profileChanged, profile, phoneNumber, read }));
