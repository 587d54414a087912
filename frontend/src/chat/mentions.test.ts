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
    fetchMock.mockResolvedValue(json([{ user: ana }, { user: bob }]));
    const members = membersFrom("/api/rooms/r1/members");
    expect(await members()).toEqual([ana, bob]);
    expect(await members()).toEqual([ana, bob]);
    expect(fetchMock).toHaveBeenCalledOnce();
    expect(fetchMock.mock.calls[0][0]).toBe("/api/rooms/r1/members");
  });

  it("reads a paginated answer too", async () => {
    fetchMock.mockResolvedValue(json({ results: [{ user: bob }] }));
    expect(await membersFrom("/m")()).toEqual([bob]);
  });

  it("asks again after a failure instead of keeping it", async () => {
    fetchMock.mockResolvedValueOnce(json({ detail: "Try later." }, 503)).mockResolvedValue(json([{ user: ana }]));
    const members = membersFrom("/m");
    await expect(members()).rejects.toThrow("Try later.");
    expect(await members()).toEqual([ana]);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});
