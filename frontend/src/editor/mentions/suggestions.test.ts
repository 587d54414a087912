import { describe, expect, it } from "vitest";
import { documentMentionCandidates, mentionAttrs, movedOption } from "./suggestions";

const person = (id: number, username: string, display_name = "") => ({ id, username, display_name, color: "#000" });
const members = [person(1, "ann", "Ann Lee"), person(2, "bob", "Bob Stone"), person(3, "bea"), person(4, "carl", "Carl Baker")];

describe("who the mention list offers", () => {
  it("everyone for a bare @, and never @room", () => {
    expect(documentMentionCandidates(members, "").map((user) => user.username)).toEqual(["ann", "bob", "bea", "carl"]);
  });

  it("filters as one types, by username or any word of the name, whatever the case", () => {
    expect(documentMentionCandidates(members, "b").map((user) => user.username)).toEqual(["bob", "bea", "carl"]);
    expect(documentMentionCandidates(members, "BE").map((user) => user.username)).toEqual(["bea"]);
    expect(documentMentionCandidates(members, "zed")).toEqual([]);
  });

  it("shows at most eight", () => {
    const many = Array.from({ length: 12 }, (_, at) => person(at + 10, `user${at}`));
    expect(documentMentionCandidates(many, "user")).toHaveLength(8);
  });
});

describe("keyboard navigation in the list", () => {
  it("moves down and up, wrapping round", () => {
    expect(movedOption(0, "ArrowDown", 3)).toBe(1);
    expect(movedOption(2, "ArrowDown", 3)).toBe(0);
    expect(movedOption(0, "ArrowUp", 3)).toBe(2);
  });

  it("leaves other keys to the text, and an empty list alone", () => {
    expect(movedOption(1, "ArrowLeft", 3)).toBeNull();
    expect(movedOption(1, "a", 3)).toBeNull();
    expect(movedOption(0, "ArrowDown", 0)).toBeNull();
  });
});

it("a pick stores the user's id as a string and their username as the label", () => {
  expect(mentionAttrs(person(42, "ann", "Ann Lee"))).toEqual({ id: "42", label: "ann" });
});
