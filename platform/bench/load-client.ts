/**
 * The load generator's process: forked by `LoadClient` (lib.ts) so that it does not share an event loop with the
 * server it loads. It still shares the machine's cores with it. Takes one `run` message at a time over IPC.
 */
import { httpLoad, type LoadOptions } from "./lib.ts";

interface RunMessage {
  type: "run";
  id: number;
  options: LoadOptions;
}

if (!process.send) throw new Error("load-client.ts is started by LoadClient (bench/lib.ts), not directly");
const send = (message: unknown) => process.send!(message);

process.on("message", (message: RunMessage) => {
  if (message?.type !== "run") return;
  httpLoad(message.options, { onWindowStart: () => send({ type: "window", id: message.id }) }).then(
    (result) => send({ type: "result", id: message.id, result }),
    (error: unknown) => send({ type: "error", id: message.id, message: String((error as Error)?.stack ?? error) }),
  );
});
process.on("disconnect", () => process.exit(0));
