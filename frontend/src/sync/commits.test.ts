import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { WebsocketProvider } from "y-websocket";
import { stubWindow } from "../testing/browser";
import { CommitTracker, encodeCommitRequest, MESSAGE_COMMITTED } from "./commits";

const OPEN = 1;

/** The parts of a y-websocket provider the tracker reads, with the frames it sent. */
function fakeProvider() {
  const sent: number[] = [];
  const provider = {
    messageHandlers: [] as ((...args: unknown[]) => void)[],
    wsconnected: true,
    synced: true,
    ws: {
      readyState: OPEN,
      send(frame: Uint8Array) {
        const decoder = decoding.createDecoder(frame);
        expect(decoding.readVarUint(decoder)).toBe(MESSAGE_COMMITTED);
        sent.push(decoding.readVarUint(decoder));
      },
    },
  };
  /** The server confirms ``token``, as y-websocket hands the frame to the type's handler. */
  const answer = (token: number) => {
    const decoder = decoding.createDecoder(encodeCommitRequest(token));
    const type = decoding.readVarUint(decoder);
    provider.messageHandlers[type](encoding.createEncoder(), decoder, provider, true, type);
  };
  return { provider, sent, answer };
}

function track(delayMs = 250) {
  const fake = fakeProvider();
  const onChange = vi.fn();
  const tracker = new CommitTracker(fake.provider as unknown as WebsocketProvider, onChange, delayMs);
  return { ...fake, onChange, tracker };
}

beforeEach(() => {
  vi.useFakeTimers();
  stubWindow();
  vi.stubGlobal("WebSocket", { OPEN });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("encodeCommitRequest", () => {
  it("writes the message type, then the token, as lib0 varuints", () => {
    expect([...encodeCommitRequest(5)]).toEqual([100, 5]);
    expect([...encodeCommitRequest(300)]).toEqual([100, 0xac, 0x02]);
  });
});

describe("CommitTracker", () => {
  it("is pending from the first local edit and asks for a commit after the delay", () => {
    const { tracker, sent, onChange } = track();
    expect(tracker.pending).toBe(false);
    tracker.localChange();
    expect(tracker.pending).toBe(true);
    expect(onChange).toHaveBeenCalled();
    vi.advanceTimersByTime(249);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([1]);
  });

  it("asks once for a burst of edits, after the last one", () => {
    const { tracker, sent } = track();
    tracker.localChange();
    vi.advanceTimersByTime(200);
    tracker.localChange();
    vi.advanceTimersByTime(200);
    tracker.localChange();
    vi.advanceTimersByTime(249);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([1]);
  });

  it("is saved once the server confirms the awaited token", () => {
    const { tracker, answer, onChange } = track();
    tracker.localChange();
    vi.advanceTimersByTime(250);
    onChange.mockClear();
    answer(1);
    expect(tracker.pending).toBe(false);
    expect(onChange).toHaveBeenCalledOnce();
  });

  it("ignores the answer to an older request while a newer one is out", () => {
    const { tracker, sent, answer } = track();
    tracker.localChange();
    vi.advanceTimersByTime(250);
    tracker.localChange();
    vi.advanceTimersByTime(250);
    expect(sent).toEqual([1, 2]);
    answer(1);
    expect(tracker.pending).toBe(true);
    answer(2);
    expect(tracker.pending).toBe(false);
  });

  it("stays pending when an edit came after the request that was just confirmed", () => {
    const { tracker, answer, sent } = track();
    tracker.localChange();
    vi.advanceTimersByTime(250);
    tracker.localChange(); // its request is still waiting for the delay
    answer(1);
    expect(tracker.pending).toBe(true);
    vi.advanceTimersByTime(250);
    answer(sent[1]);
    expect(tracker.pending).toBe(false);
  });

  it("sends nothing while disconnected and asks again on the next sync", () => {
    const { tracker, provider, sent, answer } = track();
    provider.wsconnected = false;
    tracker.localChange();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([]);
    expect(tracker.pending).toBe(true);
    provider.wsconnected = true;
    tracker.synced();
    expect(sent).toEqual([1]);
    answer(1);
    expect(tracker.pending).toBe(false);
  });

  it("does not send on a socket that is not open yet (or closing)", () => {
    const { tracker, provider, sent } = track();
    provider.ws.readyState = 2;
    tracker.synced();
    expect(sent).toEqual([]);
    expect(tracker.pending).toBe(true);
  });

  it("asks after every sync, so edits sent in sync step 2 are confirmed too", () => {
    const { tracker, sent, answer } = track();
    tracker.synced();
    expect(sent).toEqual([1]);
    expect(tracker.pending).toBe(true);
    answer(1);
    expect(tracker.pending).toBe(false);
  });

  it("stays pending across a dropped connection and ignores a late answer from the old one", () => {
    const { tracker, sent, answer } = track();
    tracker.localChange();
    vi.advanceTimersByTime(250);
    tracker.disconnected();
    expect(tracker.pending).toBe(true);
    tracker.synced();
    expect(sent).toEqual([1, 2]);
    answer(1);
    expect(tracker.pending).toBe(true);
    answer(2);
    expect(tracker.pending).toBe(false);
  });

  it("drops a scheduled request when the connection drops, or on destroy", () => {
    const dropped = track();
    dropped.tracker.localChange();
    dropped.tracker.disconnected();
    vi.advanceTimersByTime(1000);
    expect(dropped.sent).toEqual([]);
    expect(dropped.tracker.pending).toBe(true);

    const destroyed = track();
    destroyed.tracker.localChange();
    destroyed.tracker.destroy();
    vi.advanceTimersByTime(1000);
    expect(destroyed.sent).toEqual([]);
  });

  it("is not pending after a disconnect when everything was already confirmed", () => {
    const { tracker, answer } = track();
    tracker.synced();
    answer(1);
    tracker.disconnected();
    expect(tracker.pending).toBe(false);
  });
});
