/** One signed webhook request, ready to send. */
export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * What an attempt came to: `delivered` on a 2xx answer; `failed` otherwise (another status, a
 * redirect, which is not followed, a timeout, a refused or private address), with the status when
 * there was one.
 */
export type WebhookSendResult =
  | { readonly outcome: "delivered"; readonly statusCode: number }
  | { readonly outcome: "failed"; readonly error: string; readonly statusCode: number | null };

/** Sends webhook requests over HTTP (adapters/webhooks). */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookSendResult>;
  /** Aborts the requests in flight (they count as failed attempts, retried later). */
  close?(): Promise<void>;
}
