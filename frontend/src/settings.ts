// The room settings page's entry (owners): members and roles, invite links, document locks,
// archiving; everything through the REST API, errors shown next to the control. The room socket
// keeps the members and documents current and the header's bell.

import { mountArchive } from "./settings/archive";
import type { SettingsContext } from "./settings/context";
import { mountDocuments } from "./settings/documents";
import { mountInvites } from "./settings/invites";
import { followNotifications } from "./notifications/bell";
import { RoomSocket } from "./room-socket/socket";
import { mountMembers } from "./settings/members";

function readSettingsContext(): SettingsContext {
  const element = document.getElementById("settings-context");
  if (!element?.textContent) throw new Error("The page has no #settings-context.");
  return JSON.parse(element.textContent) as SettingsContext;
}

const context = readSettingsContext();
const mountPoint = (name: string) => document.querySelector<HTMLElement>(`[data-mount="${name}"]`);
const members = mountPoint("members");
const invites = mountPoint("invites");
const documents = mountPoint("documents");
const archive = mountPoint("archive");
const socket = new RoomSocket(context.urls.roomSocket);
followNotifications(socket);
if (members) void mountMembers(members, context, socket);
if (invites) void mountInvites(invites, context);
if (documents) mountDocuments(documents, context, socket);
if (archive) mountArchive(archive, context);
