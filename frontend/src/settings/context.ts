// The settings page's context, rendered by Django with `json_script` (rooms/pages/views.py).

import type { DocumentSummary, Role } from "../context";

export interface SettingsContext {
  room: { id: string; name: string; isArchived: boolean; isPublic: boolean; url: string };
  user: { id: number };
  documents: (DocumentSummary & { canManage: boolean })[];
  urls: {
    /** The room socket, for the lists to follow changes made elsewhere. */
    roomSocket: string;
    /** The room's documents (REST), read again after each reconnect. */
    documents: string;
    documentPage: string;
    room: string;
    members: string;
    invites: string;
    document: string;
    invitePage: string;
  };
  csrfToken: string;
}

export interface UserSummary {
  id: number;
  username: string;
  display_name: string;
  color: string;
}

export const ROLES: { value: Role; label: string }[] = [
  { value: "owner", label: "Owner" },
  { value: "editor", label: "Editor" },
  { value: "commenter", label: "Commenter" },
  { value: "viewer", label: "Viewer" },
];

export function roleLabel(role: string): string {
  return ROLES.find((r) => r.value === role)?.label ?? role;
}

export function roleSelect(id: string, value: Role): HTMLSelectElement {
  const select = document.createElement("select");
  select.id = id;
  for (const role of ROLES) {
    const option = new Option(role.label, role.value, false, role.value === value);
    select.append(option);
  }
  return select;
}
