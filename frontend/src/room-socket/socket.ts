// The room socket (`/ws/rooms/{room}`, authenticated by the session cookie): one connection for
// the chat and the presence bar, reconnected with a growing, jittered delay, its JSON events
// dispatched to handlers by `type`. A close with a 44xx code (not signed in, no access,
// malformed or oversized frame) is final: trying again would be refused the same way.

import type { ClientFrame, ServerEvents, ServerEventType } from "./events";

export type RoomSocketState = "connecting" | "open" | "waiting" | "closed";

type Handler<T extends ServerEventType> = (event: ServerEvents[T]) => void;

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;

function isFinal(code: number): boolean {
  return code >= 4400 && code <= 4499;
}

export class RoomSocket {
  private socket: WebSocket | null = null;
  private attempts = 0;
  private retry: number | null = null;
  private stopped = false;
  private readonly handlers = new Map<string, Set<(event: never) => void>>();
  private readonly stateListeners = new Set<(state: RoomSocketState, code?: number) => void>();
  state: RoomSocketState = "connecting";

  constructor(private readonly url: string) {
    window.addEventListener("online", this.reconnectNow);
    this.connect();
  }

  /** Calls ``handler`` with every event of ``type``; returns a function that stops it. */
  on<T extends ServerEventType>(type: T, handler: Handler<T>): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler as (event: never) => void);
    return () => set.delete(handler as (event: never) => void);
  }

  /** Calls ``listener`` on every change of state (``open`` again after each reconnect). */
  onState(listener: (state: RoomSocketState, code?: number) => void): void {
    this.stateListeners.add(listener);
  }

  /** Sends ``frame`` if the socket is open; false if it is not (nothing is queued). */
  send(frame: ClientFrame): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.stopped = true;
    window.removeEventListener("online", this.reconnectNow);
    if (this.retry !== null) window.clearTimeout(this.retry);
    this.socket?.close(1000);
    this.setState("closed");
  }

  private connect(): void {
    this.retry = null;
    this.setState("connecting");
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempts = 0;
      this.setState("open");
    });
    socket.addEventListener("message", (message) => {
      if (typeof message.data !== "string") return;
      let event: { type?: unknown } | null;
      try {
        event = JSON.parse(message.data) as { type?: unknown } | null;
      } catch {
        return;
      }
      if (typeof event?.type !== "string") return;
      // A burst of presence events arrives as one presence.batch: handled one by one, in order.
      const events = event.type === "presence.batch" ? (event as { events: { type: string }[] }).events : [event as { type: string }];
      for (const each of events) this.dispatch(each);
    });
    socket.addEventListener("close", (close) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      if (isFinal(close.code)) {
        this.stopped = true;
        this.setState("closed", close.code);
        return;
      }
      this.schedule();
    });
  }

  private dispatch(event: { type: string }): void {
    for (const handler of this.handlers.get(event.type) ?? []) {
      try {
        (handler as (event: unknown) => void)(event);
      } catch (error) {
        console.error(`room socket: handling ${event.type} failed`, error);
      }
    }
  }

  private schedule(): void {
    const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.attempts);
    this.attempts += 1;
    this.setState("waiting");
    this.retry = window.setTimeout(() => this.connect(), delay / 2 + (Math.random() * delay) / 2);
  }

  private readonly reconnectNow = (): void => {
    if (this.stopped || this.retry === null) return;
    window.clearTimeout(this.retry);
    this.connect();
  };

  private setState(state: RoomSocketState, code?: number): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state, code);
  }
}
