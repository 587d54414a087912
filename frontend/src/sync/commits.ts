// Collab's "committed" extension of the y-websocket protocol (message type 100).
//
// After local edits the client sends [varuint 100][varuint token], tokens increasing; the
// server answers with the same frame once every update this connection sent before the
// request is committed to the database (or refused). So "saved" means durable on the server,
// not merely sent.

import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { WebsocketProvider } from "y-websocket";

export const MESSAGE_COMMITTED = 100;

export function encodeCommitRequest(token: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_COMMITTED);
  encoding.writeVarUint(encoder, token);
  return encoding.toUint8Array(encoder);
}

export class CommitTracker {
  private nextToken = 1;
  private awaited = 0;
  private changedSinceRequest = false;
  private timer: number | undefined;

  constructor(
    private readonly provider: WebsocketProvider,
    private readonly onChange: () => void,
    private readonly delayMs = 250,
  ) {
    provider.messageHandlers[MESSAGE_COMMITTED] = (_encoder, decoder) => {
      this.acknowledge(decoding.readVarUint(decoder));
    };
  }

  /** Whether some local edit is not yet known to be committed. */
  get pending(): boolean {
    return this.awaited !== 0 || this.changedSinceRequest;
  }

  /** A local edit happened: ask for a commit confirmation shortly (edits come in bursts). */
  localChange(): void {
    this.changedSinceRequest = true;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.request(), this.delayMs);
    this.onChange();
  }

  /** A connection has synced: whatever this client had and the server lacked went out in
   * sync step 2 before that, so ask once and "saved" follows when all of it is stored. */
  synced(): void {
    this.changedSinceRequest = true;
    this.request();
  }

  /** The connection dropped: an outstanding request will never be answered. */
  disconnected(): void {
    window.clearTimeout(this.timer);
    if (this.awaited !== 0) this.changedSinceRequest = true;
    this.awaited = 0;
    this.onChange();
  }

  destroy(): void {
    window.clearTimeout(this.timer);
  }

  private request(): void {
    const socket = this.provider.ws;
    if (!this.provider.wsconnected || !this.provider.synced || socket?.readyState !== WebSocket.OPEN) {
      return; // sent on the next sync
    }
    const token = this.nextToken++;
    socket.send(encodeCommitRequest(token));
    this.awaited = token;
    this.changedSinceRequest = false;
    this.onChange();
  }

  private acknowledge(token: number): void {
    if (token !== this.awaited) return; // an answer to an older request; a newer one is out
    this.awaited = 0;
    this.onChange();
  }
}
