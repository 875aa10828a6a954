// Sends through @great-detail/whatsapp, pointed at the node by its prefixUrl option (the Graph base URL), as a bot would:
// a text (the one given), an image by link, interactive buttons and a list, and a read mark of a message the number
// received; then three calls the node must refuse. Prints one JSON line: the node's answers, and for each refusal the
// Graph error as the library hands it over.
import { Client } from "@great-detail/whatsapp";

const { baseUrl, token, phoneNumberId, to, mediaLink, text, readId } = JSON.parse(process.argv[2]);
const client = (bearer) => new Client({ prefixUrl: baseUrl, request: { headers: { Authorization: `Bearer ${bearer}` } } });
const sdk = client(token);
const send = async (message, via = sdk) => (await via.message.createMessage({ phoneNumberID: phoneNumberId, ...message })).json();
const read = await (await sdk.message.createStatus({ phoneNumberID: phoneNumberId, message_id: readId, status: "read" })).json();

const sent = {
  text: await send({ to: to.text, type: "text", text: { body: text, preview_url: false } }),
  image: await send({ to: to.image, type: "image", image: { link: mediaLink, caption: "A cat" } }),
  buttons: await send({
    to: to.buttons, type: "interactive", interactive: {
      type: "button", body: { text: "Ship it?" },
      action: { buttons: [{ type: "reply", reply: { id: "yes", title: "Yes" } }, { type: "reply", reply: { id: "no", title: "No" } }] },
    },
  }),
  list: await send({
    to: to.list, type: "interactive", interactive: {
      type: "list", body: { text: "Pick a size" },
      action: { button: "Sizes", sections: [{ title: "Sizes", rows: [{ id: "s", title: "Small" }, { id: "l", title: "Large", description: "Roomy" }] }] },
    },
  }),
};

// The library raises ky's HTTPError; the Graph error is its response's body.
async function refusal(message, via) {
  try {
    await send(message, via);
    return { thrown: null };
  } catch (error) {
    if (error.name !== "HTTPError") throw error;
    return { thrown: error.name, status: error.response.status, ...(await error.response.json()) };
  }
}

const errors = {
  badToken: await refusal({ to: to.text, type: "text", text: { body: "hi" } }, client("not-a-token")),
  invalid: await refusal({ to: to.text, type: "text", text: { body: "x".repeat(4097) } }),
  missing: await refusal({ type: "text", text: { body: "to whom?" } }),
};
console.log(JSON.stringify({ sent, read, errors }));
