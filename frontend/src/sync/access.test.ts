import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { stubWindow } from "../testing/browser";
import { accessNotice, sameAccess, watchAccess, type DocumentAccess } from "./access";

const editor: DocumentAccess = { canWrite: true, role: "editor", isLocked: false, isArchived: false };
const viewer: DocumentAccess = { ...editor, canWrite: false, role: "viewer" };

let page: EventTarget & { hidden: boolean };
let network: { onLine: boolean };
let fetchMock: ReturnType<typeof vi.fn>;

function answer(status: number, body?: DocumentAccess): Response {
  return { status, ok: status >= 200 && status < 300, json: async () => body } as Response;
}

function setHidden(hidden: boolean): void {
  page.hidden = hidden;
  page.dispatchEvent(new Event("visibilitychange"));
}

beforeEach(() => {
  vi.useFakeTimers();
  stubWindow();
  page = Object.assign(new EventTarget(), { hidden: false });
  network = { onLine: true };
  fetchMock = vi.fn(async () => answer(200, editor));
  vi.stubGlobal("document", page);
  vi.stubGlobal("navigator", network);
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("sameAccess", () => {
  it("compares every field", () => {
    expect(sameAccess(editor, { ...editor })).toBe(true);
    expect(sameAccess(editor, { ...editor, role: "owner" })).toBe(false);
    expect(sameAccess(editor, { ...editor, isLocked: true })).toBe(false);
    expect(sameAccess(editor, { ...editor, isArchived: true })).toBe(false);
    expect(sameAccess(editor, { ...editor, canWrite: false })).toBe(false);
  });
});

describe("watchAccess", () => {
  it("asks the server every interval, with the session cookie and past any cache", async () => {
    watchAccess("/access", editor, vi.fn(), 3000);
    await vi.advanceTimersByTimeAsync(2999);
    expect(fetchMock).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fetchMock).toHaveBeenCalledWith("/access", expect.objectContaining({ credentials: "same-origin", cache: "no-store" }));
    await vi.advanceTimersByTimeAsync(3000);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("reports a change once, with what it was before", async () => {
    const onChange = vi.fn();
    fetchMock.mockImplementation(async () => answer(200, viewer));
    watchAccess("/access", editor, onChange, 1000);
    await vi.advanceTimersByTimeAsync(3000);
    expect(onChange).toHaveBeenCalledOnce();
    expect(onChange).toHaveBeenCalledWith(viewer, editor);
  });

  it("stays quiet while the answer matches what the page has", async () => {
    const onChange = vi.fn();
    watchAccess("/access", editor, onChange, 1000);
    await vi.advanceTimersByTimeAsync(3000);
    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(onChange).not.toHaveBeenCalled();
  });

  it("asks at once on check(), but never twice at the same time", async () => {
    let respond: (response: Response) => void = () => {};
    fetchMock.mockImplementation(() => new Promise<Response>((resolve) => (respond = resolve)));
    const onChange = vi.fn();
    const watcher = watchAccess("/access", editor, onChange, 60_000);
    watcher.check();
    watcher.check();
    expect(fetchMock).toHaveBeenCalledOnce();
    respond(answer(200, viewer));
    await vi.advanceTimersByTimeAsync(0);
    expect(onChange).toHaveBeenCalledWith(viewer, editor);
    watcher.check();
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("does not ask while offline or while the page is hidden", async () => {
    const watcher = watchAccess("/access", editor, vi.fn(), 1000);
    network.onLine = false;
    watcher.check();
    await vi.advanceTimersByTimeAsync(1000);
    network.onLine = true;
    page.hidden = true;
    watcher.check();
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("asks as soon as the page becomes visible again", async () => {
    watchAccess("/access", editor, vi.fn(), 60_000);
    setHidden(true);
    expect(fetchMock).not.toHaveBeenCalled();
    setHidden(false);
    expect(fetchMock).toHaveBeenCalledOnce();
  });

  it.each([401, 403, 404])("stops asking after a %i (signed out or shut out)", async (status) => {
    fetchMock.mockImplementation(async () => answer(status));
    const onChange = vi.fn();
    watchAccess("/access", editor, onChange, 1000);
    await vi.advanceTimersByTimeAsync(5000);
    setHidden(false);
    expect(fetchMock).toHaveBeenCalledOnce();
    expect(onChange).not.toHaveBeenCalled();
  });

  it("keeps asking after a server error or a network failure", async () => {
    fetchMock.mockImplementationOnce(async () => answer(502)).mockImplementationOnce(async () => {
      throw new TypeError("Failed to fetch");
    });
    fetchMock.mockImplementation(async () => answer(200, viewer));
    const onChange = vi.fn();
    watchAccess("/access", editor, onChange, 1000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(onChange).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(onChange).toHaveBeenCalledWith(viewer, editor);
  });

  it("stops the timer and the visibility listener on stop()", async () => {
    const watcher = watchAccess("/access", editor, vi.fn(), 1000);
    watcher.stop();
    await vi.advanceTimersByTimeAsync(5000);
    setHidden(false);
    watcher.check();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe("accessNotice", () => {
  it("puts the right article before the new role", () => {
    const archivedEditor = { ...editor, isArchived: true };
    expect(accessNotice({ ...archivedEditor, canWrite: false, role: "owner" }, archivedEditor)).toBe(
      "Your role in this room changed: as an owner you can read this document but not change it.",
    );
    expect(accessNotice({ ...viewer, role: "editor", isLocked: true }, { ...viewer, isLocked: true })).toBe(
      "Your role in this room changed: as an editor you can read this document but not change it.",
    );
    expect(accessNotice(viewer, editor)).toBe("Your role in this room changed: as a viewer you can read this document but not change it.");
    expect(accessNotice({ ...viewer, role: null }, viewer)).toBe(
      "Your role in this room changed: as a visitor you can read this document but not change it.",
    );
  });
});
