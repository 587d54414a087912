import { describe, expect, it } from "vitest";
import type { UserSummary } from "../room-socket/events";
import { insertMention, mentionCandidates, typedMention } from "./mention-query";

function person(username: string, display_name = ""): UserSummary {
  return { id: username.length, username, display_name, color: "#000" };
}

describe("typedMention", () => {
  it("finds the @name right before the caret, lower-cased, with where its @ is", () => {
    expect(typedMention("hi @AnA", 7)).toEqual({ start: 3, query: "ana" });
  });

  it("opens the list as soon as @ is typed", () => {
    expect(typedMention("@", 1)).toEqual({ start: 0, query: "" });
  });

  it("accepts @ after opening punctuation or a line break", () => {
    expect(typedMention("(@bo", 4)).toEqual({ start: 1, query: "bo" });
    expect(typedMention('"@bo', 4)?.start).toBe(1);
    expect(typedMention("line\n@bo", 8)?.query).toBe("bo");
  });

  it("ignores an @ inside a word, such as an e-mail address", () => {
    expect(typedMention("mail ana@example", 16)).toBeNull();
  });

  it("looks only at the text before the caret", () => {
    expect(typedMention("@ana and more", 4)).toEqual({ start: 0, query: "ana" });
    expect(typedMention("@ana and more", 9)).toBeNull();
  });

  it("allows the characters of a username: dots, plus, minus, underscore", () => {
    expect(typedMention("@j.doe+x_y-z", 12)?.query).toBe("j.doe+x_y-z");
  });
});

describe("mentionCandidates", () => {
  const members = [person("ana", "Ana Lima"), person("bob", "Robert Smith"), person("carla")];

  it("matches the start of the username or of any word of the display name", () => {
    expect(mentionCandidates(members, "an").map((u) => u.username)).toEqual(["ana"]);
    expect(mentionCandidates(members, "smi").map((u) => u.username)).toEqual(["bob"]);
    expect(mentionCandidates(members, "lim").map((u) => u.username)).toEqual(["ana"]);
    expect(mentionCandidates(members, "ert")).toEqual([]);
  });

  it("offers @room after the members", () => {
    expect(mentionCandidates(members, "").map((u) => u.username)).toEqual(["ana", "bob", "carla", "room"]);
    expect(mentionCandidates(members, "ro").map((u) => u.username)).toEqual(["bob", "room"]);
  });

  it("compares without case", () => {
    expect(mentionCandidates([person("Zoe", "ZOE Park")], "zo").map((u) => u.username)).toEqual(["Zoe"]);
  });

  it("shows at most eight", () => {
    const many = Array.from({ length: 12 }, (_, i) => person(`user${i}`));
    expect(mentionCandidates(many, "user")).toHaveLength(8);
  });
});

describe("insertMention", () => {
  it("replaces what was typed with the full @username and a space, caret after it", () => {
    expect(insertMention("hi @an", 3, 6, "ana")).toEqual({ text: "hi @ana ", caret: 8 });
  });

  it("keeps the text after the caret without doubling the space", () => {
    expect(insertMention("hi @an how are you", 3, 6, "ana")).toEqual({ text: "hi @ana how are you", caret: 8 });
    expect(insertMention("@b!", 0, 2, "bob")).toEqual({ text: "@bob !", caret: 5 });
  });
});
