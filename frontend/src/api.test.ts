import { describe, expect, it } from "vitest";
import { apiGetAll, type Page, sameOriginLink } from "./api";

describe("apiGetAll", () => {
  it("follows next until the last page and keeps the order", async () => {
    const pages: Record<string, Page<number>> = {
      "/api/v1/rooms/r/members": { results: [1, 2], next: "http://internal:8000/api/v1/rooms/r/members?cursor=a", previous: null },
      "/api/v1/rooms/r/members?cursor=a": { results: [3, 4], next: "http://internal:8000/api/v1/rooms/r/members?cursor=b", previous: "x" },
      "/api/v1/rooms/r/members?cursor=b": { results: [5], next: null, previous: "y" },
    };
    const asked: string[] = [];
    const all = await apiGetAll<number>("/api/v1/rooms/r/members", async (url) => {
      asked.push(url);
      return pages[url];
    });
    expect(all).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual(Object.keys(pages));
  });

  it("asks once for a list on one page", async () => {
    let calls = 0;
    const all = await apiGetAll<string>("/api/v1/rooms", async () => {
      calls += 1;
      return { results: ["a"], next: null, previous: null };
    });
    expect([all, calls]).toEqual([["a"], 1]);
  });
});

describe("sameOriginLink", () => {
  it("keeps the path and query of a link the server wrote absolute", () => {
    expect(sameOriginLink("http://10.0.0.5:8000/api/v1/rooms?cursor=cD0x&page_size=2")).toBe("/api/v1/rooms?cursor=cD0x&page_size=2");
  });
});
