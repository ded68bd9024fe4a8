// The UI's only door to the Rust side. Views receive a Backend, so they can also run in a
// plain browser against fixtures (tests, benchmarks) without Tauri.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { ErrorBody, LinkEvent } from "./bindings";
import { commandsOver, type Commands } from "./commands";

/** The UI's view of the Rust side: every IPC command (generated from the Rust list, so a
 * new command appears here by itself; the exports ask where to save in Rust) and the
 * events. */
export type Backend = Commands & {
  /** Subscribes to deep-link events; call takePendingLinks after subscribing. */
  onLink(handler: (event: LinkEvent) => void): Promise<() => void>;
  /** A notification was clicked: open this review. */
  onOpenReview(handler: (id: string) => void): Promise<() => void>;
  /** Reloads the window (after clearing the cache). */
  reload(): void;
};

/** The name of the event carrying a review id to open (econfiance_client::ipc::OPEN_REVIEW_EVENT). */
export const OPEN_REVIEW_EVENT = "open-review";

/** The name of the event carrying a LinkEvent (econfiance_client::ipc::LINK_EVENT). */
export const LINK_EVENT = "deep-link";

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ErrorBody).code === "string" &&
    typeof (value as ErrorBody).message === "string"
  );
}

/** Every failure of a command reaches views as an ErrorBody. */
async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    if (isErrorBody(error)) throw error;
    const body: ErrorBody = {
      code: "ipc_failed",
      message:
        "L'application a rencontré une erreur interne. Redémarrez-la ; si cela continue, contactez le support.",
    };
    throw body;
  }
}

export const tauriBackend: Backend = {
  ...commandsOver(call),
  onLink: (handler) => listen<LinkEvent>(LINK_EVENT, (event) => handler(event.payload)),
  onOpenReview: (handler) => listen<string>(OPEN_REVIEW_EVENT, (event) => handler(event.payload)),
  reload: () => window.location.reload(),
};

/** The message of a failure, whatever was thrown. */
export function messageOf(error: unknown): string {
  return isErrorBody(error) ? error.message : String(error);
}

/** Whether a failure means the session ended on the server (revoked, expired). */
export function isSessionEnded(error: unknown): boolean {
  return (
    isErrorBody(error) &&
    (error.code === "session_ended" ||
      error.code === "removed_from_team" ||
      error.code === "not_logged_in")
  );
}
