/**
 * The demo shopper page's service worker: shows a notification when a push arrives, even with the
 * page closed, and brings the page back when the shopper taps it. The push carries only the offer's
 * id and title (docs/push.md); the page fetches the offer itself. Bundled by the demo with esbuild.
 *
 * The project compiles without the WebWorker library, so the few types used here are declared locally.
 */
import { readPushPayload } from "../../../sdk/src/index.js";

interface PushEventLike {
  readonly data: { text(): string } | null;
  waitUntil(promise: Promise<unknown>): void;
}
interface NotificationClickLike {
  readonly notification: { close(): void; readonly data: unknown };
  waitUntil(promise: Promise<unknown>): void;
}
interface WindowClientLike {
  readonly url: string;
  focus(): Promise<unknown>;
}
interface WorkerScope {
  addEventListener(type: "push", listener: (event: PushEventLike) => void): void;
  addEventListener(type: "notificationclick", listener: (event: NotificationClickLike) => void): void;
  addEventListener(type: "install" | "activate", listener: (event: { waitUntil(p: Promise<unknown>): void }) => void): void;
  skipWaiting(): Promise<void>;
  readonly registration: {
    readonly scope: string;
    showNotification(title: string, options: Record<string, unknown>): Promise<void>;
  };
  readonly clients: {
    claim(): Promise<void>;
    matchAll(options: { type: "window"; includeUncontrolled: boolean }): Promise<WindowClientLike[]>;
    openWindow(url: string): Promise<unknown>;
  };
}
const worker = globalThis as unknown as WorkerScope;

// A new version takes over at once: the demo has no state worth a staged update.
worker.addEventListener("install", (event) => event.waitUntil(worker.skipWaiting()));
worker.addEventListener("activate", (event) => event.waitUntil(worker.clients.claim()));

worker.addEventListener("push", (event) => {
  const payload = readPushPayload(event.data?.text() ?? null);
  // Chromium shows a generic notification for a push that shows none (userVisibleOnly), so even
  // a payload that is not ours gets a plain one rather than a confusing one.
  const title = payload?.title ?? "A new offer is waiting";
  event.waitUntil(
    worker.registration.showNotification(title, {
      body: "Tap to see it and its code.",
      // One notification per offer: a repeat of the same push replaces it.
      tag: payload ? `offer-${payload.offerId}` : "offer",
      data: { offerId: payload?.offerId ?? null },
      icon: "shopper-icon.svg",
    }),
  );
});

worker.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(
    worker.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).pathname.endsWith("/shopper"));
      // The page signs in with the token in its fragment: focus the open page, which has it.
      return open ? open.focus() : worker.clients.openWindow(new URL("shopper", worker.registration.scope).href);
    }),
  );
});
