// The official SignalR client, taken from the page's node_modules (web/package-lock.json pins it) so the load
// generator adds no package of its own. Bare imports from bench/js would not look in web/, hence createRequire.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const webPackage = new URL("../../web/package.json", import.meta.url);
const modules = fileURLToPath(new URL("../../web/node_modules/@microsoft/signalr", import.meta.url));
if (!existsSync(modules)) {
  throw new Error(`${modules} is missing: run \`npm ci --prefix web\` (or build Hub.Server, which runs it) first.`);
}

const require = createRequire(webPackage);

export const signalR = require("@microsoft/signalr");

/** The MessagePack protocol, loaded only when asked for (it is a dev dependency of the page). */
export function messagePackProtocol() {
  const { MessagePackHubProtocol } = require("@microsoft/signalr-protocol-msgpack");
  return new MessagePackHubProtocol();
}
