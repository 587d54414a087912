// The room settings page's entry (owners): members and roles, invite links, document locks,
// archiving; everything through the REST API, errors shown next to the control.

import { mountArchive } from "./settings/archive";
import type { SettingsContext } from "./settings/context";
import { mountDocuments } from "./settings/documents";
import { mountInvites } from "./settings/invites";
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
if (members) void mountMembers(members, context);
if (invites) void mountInvites(invites, context);
if (documents) mountDocuments(documents, context);
if (archive) mountArchive(archive, context);
