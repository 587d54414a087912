import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { stubWindow } from "../testing/browser";
import { RoomSocket, type RoomSocketState } from "./socket";

/** A WebSocket the test drives: it opens, receives and drops when told to. Its listeners
 * run synchronously and let exceptions through, so a listener that throws fails the test. */
class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static created: FakeWebSocket[] = [];
  readyState = FakeWebSocket.CONNECTING;
  sent: string[] = [];
  closedWith: number | undefined;
  private readonly listeners = new Map<string, ((event: object) => void)[]>();

  constructor(readonly url: string) {
    FakeWebSocket.created.push(this);
  }

  addEventListener(type: string, listener: (event: object) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  send(data: string): void {
    this.sent.push(data);
  }

  close(code?: number): void {
    this.closedWith = code;
    this.drop(code ?? 1005);
  }

  open(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.emit("open", {});
  }

  receive(data: unknown): void {
    this.emit("message", { data });
  }

  drop(code: number): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.emit("close", { code });
  }

  private emit(type: string, event: object): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

const latest = () => FakeWebSocket.created[FakeWebSocket.created.length - 1];
const user = { id: 1, username: "ana", display_name: "Ana", color: "#123456" };

let page: EventTarget;

function connect() {
  const socket = new RoomSocket("wss://collab.test/ws/rooms/r1");
  const states: [RoomSocketState, number | undefined][] = [];
  socket.onState((state, code) => states.push([state, code]));
  return { socket, states };
}

beforeEach(() => {
  vi.useFakeTimers();
  page = stubWindow();
  FakeWebSocket.created = [];
  vi.stubGlobal("WebSocket", FakeWebSocket);
  vi.spyOn(Math, "random").mockReturnValue(0); // the shortest delay of each jittered range
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("RoomSocket events", () => {
  it("connects to the room's URL at once and says when it is open", () => {
    const { socket, states } = connect();
    expect(FakeWebSocket.created.map((ws) => ws.url)).toEqual(["wss://collab.test/ws/rooms/r1"]);
    expect(socket.state).toBe("connecting");
    latest().open();
    expect(socket.isOpen).toBe(true);
    expect(states).toEqual([["open", undefined]]);
  });

  it("hands each event to the handlers of its type only", () => {
    const { socket } = connect();
    const typing = vi.fn();
    const unread = vi.fn();
    socket.on("typing", typing);
    socket.on("unread", unread);
    const event = { type: "typing", room: "r1", user, expires_in: 5 };
    latest().receive(JSON.stringify(event));
    expect(typing).toHaveBeenCalledWith(event);
    expect(unread).not.toHaveBeenCalled();
  });

  it("stops calling a handler once its returned function was called", () => {
    const { socket } = connect();
    const handler = vi.fn();
    const stop = socket.on("typing", handler);
    stop();
    latest().receive(JSON.stringify({ type: "typing" }));
    expect(handler).not.toHaveBeenCalled();
  });

  it("unpacks a presence.batch into its events, in order", () => {
    const { socket } = connect();
    const seen: string[] = [];
    socket.on("presence.join", (event) => seen.push(`join ${event.user.username}`));
    socket.on("presence.leave", (event) => seen.push(`leave ${event.user.username}`));
    const batch = {
      type: "presence.batch",
      events: [
        { type: "presence.join", room: "r1", user, status: "online", viewing: null },
        { type: "presence.leave", room: "r1", user: { ...user, username: "ben" }, seen_at: "" },
        { type: "presence.join", room: "r1", user: { ...user, username: "cy" }, status: "online", viewing: null },
      ],
    };
    latest().receive(JSON.stringify(batch));
    expect(seen).toEqual(["join ana", "leave ben", "join cy"]);
  });

  it("ignores binary frames, malformed JSON and events without a type", () => {
    const { socket } = connect();
    const handler = vi.fn();
    socket.on("typing", handler);
    const ws = latest();
    for (const frame of [new Uint8Array([1, 2]), "{not json", JSON.stringify({ kind: "typing" }), "null", "42"]) {
      expect(() => ws.receive(frame)).not.toThrow();
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it("keeps dispatching to the other handlers when one throws", () => {
    const { socket } = connect();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const after = vi.fn();
    socket.on("typing", () => {
      throw new Error("boom");
    });
    socket.on("typing", after);
    latest().receive(JSON.stringify({ type: "typing" }));
    expect(after).toHaveBeenCalledOnce();
    expect(logged).toHaveBeenCalledWith("room socket: handling typing failed", expect.any(Error));
  });

  it("sends frames as JSON only while open, and says whether it did", () => {
    const { socket } = connect();
    expect(socket.send({ type: "typing" })).toBe(false);
    latest().open();
    expect(socket.send({ type: "read", message: 7 })).toBe(true);
    expect(latest().sent.map((frame) => JSON.parse(frame))).toEqual([{ type: "read", message: 7 }]);
  });
});

describe("RoomSocket reconnection", () => {
  /** How long the socket waits after the current connection drops, in ms. */
  function waitAfterDrop(): number {
    const before = FakeWebSocket.created.length;
    latest().drop(1006);
    let waited = 0;
    while (FakeWebSocket.created.length === before) {
      vi.advanceTimersByTime(50);
      waited += 50;
    }
    return waited;
  }

  it("waits, then connects again after an unexpected close", () => {
    const { socket, states } = connect();
    latest().open();
    latest().drop(1006);
    expect(socket.state).toBe("waiting");
    vi.advanceTimersByTime(249);
    expect(FakeWebSocket.created).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.created).toHaveLength(2);
    latest().open();
    expect(states.map(([state]) => state)).toEqual(["open", "waiting", "connecting", "open"]);
  });

  it("doubles the delay after each failed attempt, up to 15 seconds", () => {
    connect();
    const waits = Array.from({ length: 8 }, waitAfterDrop);
    expect(waits).toEqual([250, 500, 1000, 2000, 4000, 7500, 7500, 7500]);
  });

  it("jitters the delay between half and all of it", () => {
    vi.mocked(Math.random).mockReturnValue(0.999);
    connect();
    expect(waitAfterDrop()).toBe(500);
  });

  it("starts again from the shortest delay once a connection opened", () => {
    connect();
    waitAfterDrop();
    waitAfterDrop();
    latest().open();
    expect(waitAfterDrop()).toBe(250);
  });

  it("reconnects at once when the browser comes back online", () => {
    connect();
    latest().drop(1006);
    page.dispatchEvent(new Event("online"));
    expect(FakeWebSocket.created).toHaveLength(2);
    vi.advanceTimersByTime(60_000); // the cancelled retry does not open a third socket
    expect(FakeWebSocket.created).toHaveLength(2);
  });

  it("does not open a second socket on 'online' while connected", () => {
    connect();
    latest().open();
    page.dispatchEvent(new Event("online"));
    expect(FakeWebSocket.created).toHaveLength(1);
  });

  it.each([4401, 4403, 4413])("gives up after close code %i, which would be refused again", (code) => {
    const { socket, states } = connect();
    latest().drop(code);
    vi.advanceTimersByTime(60_000);
    page.dispatchEvent(new Event("online"));
    expect(FakeWebSocket.created).toHaveLength(1);
    expect(socket.state).toBe("closed");
    expect(states).toEqual([["closed", code]]);
  });

  it("closes normally on close() and never reconnects", () => {
    const { socket } = connect();
    const ws = latest();
    ws.open();
    socket.close();
    expect(ws.closedWith).toBe(1000);
    expect(socket.state).toBe("closed");
    vi.advanceTimersByTime(60_000);
    page.dispatchEvent(new Event("online"));
    expect(FakeWebSocket.created).toHaveLength(1);
  });

  it("cancels a scheduled reconnect on close()", () => {
    const { socket } = connect();
    latest().drop(1006);
    socket.close();
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.created).toHaveLength(1);
  });
});
