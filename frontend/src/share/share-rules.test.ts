import { describe, expect, it } from "vitest";
import { commentsAllowed, reconnectDelay } from "./share-rules";

describe("commentsAllowed", () => {
  it("shows a view link no comments, signed in or not", () => {
    expect(commentsAllowed({ role: "viewer", signedIn: true })).toEqual({ read: false, write: false });
    expect(commentsAllowed({ role: "viewer", signedIn: false })).toEqual({ read: false, write: false });
  });

  it("lets a signed-in holder of a comment or edit link comment", () => {
    expect(commentsAllowed({ role: "commenter", signedIn: true })).toEqual({ read: true, write: true });
    expect(commentsAllowed({ role: "editor", signedIn: true })).toEqual({ read: true, write: true });
  });

  it("lets a guest read the comments of a comment link but not write", () => {
    expect(commentsAllowed({ role: "commenter", signedIn: false })).toEqual({ read: true, write: false });
  });
});

describe("reconnectDelay", () => {
  it("doubles from one second up to ten", () => {
    expect([0, 1, 2, 3, 4, 10].map(reconnectDelay)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});
