// A Node.js client of Hub on the MessagePack protocol, driven by Hub.Tests (Client/JsMessagePackTests.cs): the official
// JavaScript client plus @microsoft/signalr-protocol-msgpack, as a browser app using MessagePack would connect.
// Usage: node msgpack-client.mjs <baseUrl> <token> <apiKey> <payloadJson>
// It creates room "js", sends "from js" there, posts a notification with <payloadJson> to itself, and prints one JSON
// line: {"chat": <the Message it received>, "notification": <the Notification it received>}. Exits 1 on any failure.
import * as signalR from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";

const [baseUrl, token, apiKey, payloadJson] = process.argv.slice(2);
const timeout = setTimeout(() => { console.error("timed out"); process.exit(1); }, 20000);

function connect(path) {
  return new signalR.HubConnectionBuilder()
    .withUrl(new URL(path, baseUrl).href, { accessTokenFactory: () => token, transport: signalR.HttpTransportType.WebSockets })
    .withHubProtocol(new MessagePackHubProtocol())
    .configureLogging(signalR.LogLevel.Error)
    .build();
}

function first(connection, event) {
  return new Promise(resolve => connection.on(event, resolve));
}

// MessagePack maps arrive as plain objects; dates as Date, Maps as objects: JSON.stringify prints them plainly.
try {
  const chat = connect("hubs/chat");
  const notifications = connect("hubs/notifications");
  const message = first(chat, "Message");
  const notification = first(notifications, "Notification");
  await chat.start();
  await notifications.start();

  await chat.invoke("CreateRoom", "js");
  await chat.invoke("Send", { Text: "from js", Room: "js", Key: "js-key-1" });
  const response = await fetch(new URL("api/notifications", baseUrl), {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Api-Key": apiKey },
    body: JSON.stringify({ to: { user: JSON.parse(Buffer.from(token.split(".")[1], "base64url")).sub }, type: "js.test", payload: JSON.parse(payloadJson) }),
  });
  if (response.status !== 202) {
    throw new Error(`POST /api/notifications answered ${response.status}`);
  }

  console.log(JSON.stringify({ chat: await message, notification: await notification }));
  await chat.stop();
  await notifications.stop();
  clearTimeout(timeout);
} catch (error) {
  console.error(error);
  process.exit(1);
}
