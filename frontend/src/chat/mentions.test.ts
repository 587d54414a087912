import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { membersFrom } from "./mentions";

const ana = { id: 1, username: "ana", display_name: "Ana", color: "#111" };
const bob = { id: 2, username: "bob", display_name: "", color: "#222" };

function json(body: unknown, status = 200): Response {
  return { status, ok: status < 400, json: async () => body } as Response;
}

let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  fetchMock = vi.fn();
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("membersFrom", () => {
  it("fetches the members once, however often they are asked for", async () => {
    fetchMock.mockResolvedValue(json({ results: [{ user: ana }, { user: bob }], next: null, previous: null }));
    const members = membersFrom("/api/rooms/r1/members");
    expect(await members()).toEqual([ana, bob]);
    expect(await members()).toEqual([ana, bob]);
    expect(fetchMock).toHaveBeenCalledOnce();
    expect(fetchMock.mock.calls[0][0]).toBe("/api/rooms/r1/members");
  });

  it("reads every page of the members", async () => {
    fetchMock
      .mockResolvedValueOnce(json({ results: [{ user: ana }], next: "http://server/m?cursor=2", previous: null }))
      .mockResolvedValueOnce(json({ results: [{ user: bob }], next: null, previous: "http://server/m" }));
    expect(await membersFrom("/m")()).toEqual([ana, bob]);
    expect(fetchMock.mock.calls.map((call) => call[0])).toEqual(["/m", "/m?cursor=2"]);
  });

  it("asks again after a failure instead of keeping it", async () => {
    fetchMock.mockResolvedValueOnce(json({ detail: "Try later." }, 503)).mockResolvedValue(json({ results: [{ user: ana }], next: null, previous: null }));
    const members = membersFrom("/m");
    await expect(members()).rejects.toThrow("Try later.");
    expect(await members()).toEqual([ana]);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});
