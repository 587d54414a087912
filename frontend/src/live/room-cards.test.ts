import { describe, expect, it } from "vitest";
import type { RoomPayload } from "../room-socket/events";
import { cardMeta, sectionOf, truncated } from "./room-cards";

function room(fields: Partial<RoomPayload> = {}): RoomPayload {
  return {
    id: "r1",
    name: "Design",
    slug: "design",
    description: "",
    is_public: false,
    max_participants: 100,
    join_role: "viewer",
    invite_min_role: "owner",
    is_archived: false,
    archived_at: null,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    role: "editor",
    member_count: 2,
    unread_count: 0,
    ...fields,
  };
}

describe("the room list's sections", () => {
  it("puts a room one is in under theirs, archived apart, public ones one is not in under public", () => {
    expect(sectionOf(room())).toBe("mine");
    expect(sectionOf(room({ is_archived: true }))).toBe("archived");
    expect(sectionOf(room({ role: null, is_public: true }))).toBe("public");
    expect(sectionOf(room({ role: null, is_public: true, is_archived: true }))).toBeNull();
    expect(sectionOf(room({ role: null }))).toBeNull();
  });

  it("writes each card's line as the server-rendered page does", () => {
    expect(cardMeta(room())).toBe("Editor · 2 members");
    expect(cardMeta(room({ role: "owner", member_count: 1, is_public: true }))).toBe("Owner · 1 member · Public");
    expect(cardMeta(room({ role: null, is_public: true, member_count: 5 }))).toBe("5 members · Anyone signed in can read");
    expect(cardMeta(room({ is_archived: true }))).toBe("Archived · read-only");
  });

  it("cuts a long description as Django's truncatechars does", () => {
    expect(truncated("short")).toBe("short");
    const cut = truncated("x".repeat(130));
    expect([cut.length, cut.endsWith("…")]).toEqual([120, true]);
  });
});
