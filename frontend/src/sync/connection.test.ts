import * as encoding from "lib0/encoding";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { stubWindow } from "../testing/browser";
import { DocumentConnection, type SyncStatus } from "./connection";

// The local copy is IndexedDB's, which Node lacks: a copy that loads at once and holds nothing.
vi.mock("y-indexeddb", () => ({
  IndexeddbPersistence: class {
    whenSynced = Promise.resolve();
    destroy = async () => {};
    clearData = async () => {};
  },
}));

/** A WebSocket the test plays the server's side of; every one the provider opens is kept. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static opened: FakeSocket[] = [];
  readonly OPEN = 1;
  readyState = FakeSocket.CONNECTING;
  binaryType = "blob";
  sent: Uint8Array[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: ArrayBuffer }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }

  send(frame: Uint8Array): void {
    this.sent.push(frame);
  }

  close(): void {
    this.readyState = FakeSocket.CLOSED;
  }

  /** The server accepts the socket and sends its sync step 2 (``server`` holds the
   * document as stored) and its own sync step 1, as Collab does. */
  accept(server: Y.Doc): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
    for (const write of [syncProtocol.writeSyncStep2, syncProtocol.writeSyncStep1]) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      write(encoder, server);
      this.onmessage?.({ data: encoding.toUint8Array(encoder).slice().buffer });
    }
  }

  serverClose(code: number): void {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ code, reason: "" });
  }

  bytesSent(): number {
    return this.sent.reduce((total, frame) => total + frame.byteLength, 0);
  }
}

const PASTE = "x".repeat(200_000);
const open: DocumentConnection[] = [];
const lengthOf = (text: Y.Text) => text.length;

async function openConnection() {
  const connection = new DocumentConnection({
    socketUrl: "ws://collab.test/ws/docs",
    documentId: `d${open.length}`, // providers of one name in one process sync directly
    userId: 1,
    user: { name: "Ada", color: "#000" },
    canWrite: true,
  });
  open.push(connection);
  const statuses: SyncStatus[] = [];
  connection.onStatus((status) => statuses.push(status));
  const text = connection.doc.getText("default");
  const undo = new Y.UndoManager(text, { captureTimeout: 0 });
  connection.trackUndo(undo);
  await vi.advanceTimersByTimeAsync(0); // the local copy loads, then the provider connects
  const server = new Y.Doc();
  server.getText("default").insert(0, "stored");
  FakeSocket.opened[0].accept(server);
  return { connection, statuses, text, undo, server };
}

beforeEach(() => {
  vi.useFakeTimers();
  stubWindow();
  vi.stubGlobal("navigator", { onLine: true });
  vi.stubGlobal("WebSocket", FakeSocket);
  FakeSocket.opened = [];
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((connection) => connection.destroy()));
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("DocumentConnection after a change refused as too large", () => {
  it.each([4413, 1009])("says so and does not reconnect after %i, keeping the edits", async (code) => {
    const { connection, statuses, text } = await openConnection();
    expect(text.toString()).toBe("stored");
    expect(connection.status).toBe("saving");
    text.insert(6, PASTE);
    FakeSocket.opened[0].serverClose(code);
    expect(connection.status).toBe("too_large");
    expect(statuses).not.toContain("offline");
    // Typing on (not undoing) changes nothing: it would be refused again.
    text.insert(0, "more ");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.opened).toHaveLength(1);
    expect(connection.status).toBe("too_large");
    expect(lengthOf(text)).toBe("more stored".length + PASTE.length);
  });

  it("connects again once the change is undone, without sending it", async () => {
    const { connection, text, undo, server } = await openConnection();
    text.insert(6, PASTE);
    FakeSocket.opened[0].serverClose(4413);
    undo.undo();
    expect(lengthOf(text)).toBe("stored".length);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.opened).toHaveLength(2);
    expect(connection.status).not.toBe("too_large");
    const again = FakeSocket.opened[1];
    again.accept(server);
    // What the server lacked went out in sync step 2: the paste's place, not its text.
    expect(again.bytesSent()).toBeLessThan(1000);
    expect(connection.status).toBe("saving");
    // Nor can redo bring the refused text back.
    expect(undo.canRedo()).toBe(false);
  });

  it("reconnects after other close codes, as y-websocket does", async () => {
    const { connection } = await openConnection();
    FakeSocket.opened[0].serverClose(1013);
    expect(connection.status).toBe("offline");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeSocket.opened.length).toBeGreaterThan(1);
  });
});
