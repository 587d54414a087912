// Groups: shapes that share a `groupId` are picked, moved, resized, rotated, copied and
// deleted together. One level, as in Excalidraw's common case: grouping shapes that are
// already grouped gives them all the new id.

import type { Shape } from "./model";
import type { Changes } from "./selection";

/** The ids of ``id``'s group on ``shapes`` (just ``id`` when it has none). */
export function groupOf(shapes: Shape[], id: string): string[] {
  const groupId = shapes.find((shape) => shape.id === id)?.groupId;
  if (!groupId) return [id];
  return shapes.filter((shape) => shape.groupId === groupId).map((shape) => shape.id);
}

/** ``ids`` with the rest of each one's group added, in board order after the given ones. */
export function withGroups(shapes: Shape[], ids: string[]): string[] {
  const groups = new Set(shapes.filter((shape) => ids.includes(shape.id) && shape.groupId).map((shape) => shape.groupId));
  if (groups.size === 0) return ids;
  const more = shapes.filter((shape) => shape.groupId && groups.has(shape.groupId) && !ids.includes(shape.id)).map((shape) => shape.id);
  return [...ids, ...more];
}

/** The changes that put ``selection`` into one new group (nothing for fewer than two). */
export function grouped(selection: Shape[], groupId: string): Changes {
  if (selection.length < 2) return {};
  return Object.fromEntries(selection.map((shape) => [shape.id, { groupId }]));
}

/** The changes that take every grouped shape of ``selection`` out of its group (the field
 * goes: the schema has no null group). */
export function ungrouped(selection: Shape[]): Changes {
  return Object.fromEntries(selection.filter((shape) => shape.groupId).map((shape) => [shape.id, { groupId: undefined }]));
}

/** ``copies`` with each group they hold given a new id, so a copy of a group is a group of its
 * own; a copy alone from its group leaves it (a group of one is no group). */
export function regrouped(copies: Shape[], newId: () => string): Shape[] {
  const counts = new Map<string, number>();
  for (const copy of copies) if (copy.groupId) counts.set(copy.groupId, (counts.get(copy.groupId) ?? 0) + 1);
  const renamed = new Map<string, string>();
  return copies.map((copy) => {
    if (!copy.groupId) return copy;
    const { groupId, ...rest } = copy;
    if ((counts.get(groupId) ?? 0) < 2) return rest;
    if (!renamed.has(groupId)) renamed.set(groupId, newId());
    return { ...rest, groupId: renamed.get(groupId) };
  });
}
