import { describe, expect, it } from "vitest";
import { messageTitle } from "./message-title";

const alice = { id: 1, username: "alice", display_name: "Alice Liddell", color: "#2f6fdf" };

describe("messageTitle", () => {
  it("names a system message's sender as Collab, never Someone", () => {
    expect(messageTitle({ kind: "system", author: null, parent: null })).toBe("Collab");
  });

  it("names a person's message by their display name, else their username", () => {
    expect(messageTitle({ kind: "text", author: alice, parent: null })).toBe("Alice Liddell");
    expect(messageTitle({ kind: "text", author: { ...alice, display_name: "" }, parent: 7 })).toBe("alice (in a thread)");
  });

  it("says Someone for a message whose author's account is gone", () => {
    expect(messageTitle({ kind: "text", author: null, parent: null })).toBe("Someone");
  });
});
