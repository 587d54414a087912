import { describe, expect, it } from "vitest";
import type { DocumentPayload, MemberPayload } from "../room-socket/events";
import { byCreation, byJoining, groupOf } from "./sidebar";

function doc(fields: Partial<DocumentPayload>): DocumentPayload {
  return {
    id: "d1",
    room: "r1",
    title: "Plan",
    kind: "text",
    is_locked: false,
    locked_by: null,
    locked_at: null,
    is_archived: false,
    archived_at: null,
    created_by: null,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...fields,
  };
}

const user = (id: number) => ({ id, username: `u${id}`, display_name: "", color: "#123456" });

describe("the sidebar's lists", () => {
  it("lists an archived document apart whatever its kind", () => {
    expect(groupOf(doc({}))).toBe("text");
    expect(groupOf(doc({ kind: "whiteboard" }))).toBe("whiteboard");
    expect(groupOf(doc({ kind: "whiteboard", is_archived: true }))).toBe("archived");
  });

  it("orders documents oldest first and members by when they joined, as the server does", () => {
    const newer = doc({ id: "a", created_at: "2026-02-01T00:00:00Z" });
    const older = doc({ id: "b", created_at: "2026-01-01T00:00:00Z" });
    const twin = doc({ id: "c", created_at: "2026-01-01T00:00:00Z" });
    expect([newer, twin, older].sort(byCreation).map((d) => d.id)).toEqual(["b", "c", "a"]);

    const member = (id: number, joined_at: string): MemberPayload => ({ user: user(id), role: "editor", joined_at });
    const members = [member(3, "2026-03-01T00:00:00Z"), member(2, "2026-01-01T00:00:00Z"), member(1, "2026-01-01T00:00:00Z")];
    expect(members.sort(byJoining).map((m) => m.user.id)).toEqual([1, 2, 3]);
  });
});
