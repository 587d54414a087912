// A document's version history, in a panel beside the open document: the versions (name,
// author, time), a read-only preview of one, restoring it (a new edit every open editor
// receives at once), and keeping a named version of the current content.

import type { Editor } from "@tiptap/core";
import { apiGet, apiGetAll, apiPost, apiRequest, errorMessage } from "../api";
import { annotateInsertions, fetchAuthorMap, mountAuthorColours, type AuthorColours } from "../authorship/colours";
import type { DocumentKind } from "../context";
import { confirmAction } from "../ui/confirm";
import { element } from "../ui/dom";
import { timeElement } from "../ui/time";
import { renderDiff, type VersionDiff } from "./diff";
import { renderPreview, type Preview } from "./preview";
import "./history.css";

interface Author {
  id: number;
  username: string;
  display_name: string;
  color: string;
}

export type VersionKind = "auto" | "named" | "before_restore" | "before_wipe" | "restore";

export interface Version {
  id: string;
  name: string;
  is_automatic: boolean;
  kind: VersionKind;
  restored_from: { id: string; name: string; kind: VersionKind; created_at: string } | null;
  seq: number;
  created_by: Author | null;
  created_at: string;
}

interface VersionDetail extends Version {
  format: string;
  content: unknown;
}

export interface HistoryPermissions {
  /** Restore a version (the person may write the document). */
  restore: boolean;
  /** Keep a named version (editors and owners of an active room). */
  keep: boolean;
}

export interface HistoryOptions {
  host: HTMLElement;
  toggle: HTMLButtonElement;
  versionsUrl: string;
  documentId: string;
  kind: DocumentKind;
  csrfToken: string;
  permissions: HistoryPermissions;
  /** The open text document's editor (it changes when the document is mounted again): for
   * colouring the text by author and naming who wrote a diff's insertions. */
  editor?: () => Editor | undefined;
}

export interface HistoryPanel {
  open(): void;
  close(): void;
  setPermissions(permissions: HistoryPermissions): void;
  /** The document was mounted again (a new editor): colour it too if colouring is on. */
  editorChanged(): void;
}

function showError(target: HTMLElement, message: string | null): void {
  target.textContent = message ?? "";
  target.hidden = message === null;
}

export function createHistoryPanel(options: HistoryOptions): HistoryPanel {
  const { toggle, versionsUrl, kind, csrfToken } = options;
  let permissions = options.permissions;
  let versions: Version[] = [];
  let selected: string | null = null;
  let preview: Preview | null = null;
  let loaded = false;

  const panel = element("aside", "history-panel");
  panel.id = toggle.getAttribute("aria-controls") ?? "history-panel";
  panel.setAttribute("aria-labelledby", "history-heading");
  panel.hidden = true;

  const header = element("header", "panel-header");
  const heading = element("h2", undefined, "Version history");
  heading.id = "history-heading";
  const closeButton = element("button", "icon-button", "×");
  closeButton.type = "button";
  closeButton.setAttribute("aria-label", "Close version history");
  header.append(heading, closeButton);

  // Colour by author: the documents/{id}/authors map beside the versions.
  const authorsUrl = versionsUrl.replace(/\/versions$/, "/authors");
  const authorRow = element("div", "author-colours");
  const authorLabel = element("label", "author-toggle");
  const authorToggle = element("input");
  authorToggle.type = "checkbox";
  authorToggle.name = "colour-by-author";
  authorLabel.append(authorToggle, "Colour by author");
  authorRow.append(authorLabel);
  authorRow.hidden = kind !== "text" || !options.editor;
  let colours: AuthorColours | null = null;
  let coloursEditor: Editor | undefined;
  const currentColours = () => {
    const editor = options.editor?.();
    if (!editor || editor.isDestroyed) return null;
    if (editor !== coloursEditor) {
      colours?.destroy();
      colours = mountAuthorColours(editor, authorsUrl);
      coloursEditor = editor;
      authorRow.append(colours.legend);
    }
    return colours;
  };
  authorToggle.addEventListener("change", () => currentColours()?.setEnabled(authorToggle.checked));

  const form = element("form", "version-form");
  const nameLabel = element("label", undefined, "Name the current version");
  nameLabel.htmlFor = "version-name";
  const row = element("div", "version-form-row");
  const nameInput = element("input");
  nameInput.id = "version-name";
  nameInput.name = "name";
  nameInput.maxLength = 200;
  nameInput.required = true;
  nameInput.autocomplete = "off";
  nameInput.placeholder = "Draft for review";
  const saveButton = element("button", undefined, "Save version");
  saveButton.type = "submit";
  row.append(nameInput, saveButton);
  const formError = element("p", "form-error");
  formError.setAttribute("role", "alert");
  formError.id = "version-name-error";
  formError.hidden = true;
  nameInput.setAttribute("aria-describedby", formError.id);
  form.append(nameLabel, row, formError);

  const status = element("p", "panel-status");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");

  const listHeading = element("h3", "panel-subheading", "Versions");
  listHeading.id = "versions-heading";
  const list = element("ol", "version-list");
  list.setAttribute("aria-labelledby", listHeading.id);

  const previewSection = element("section", "version-preview");
  previewSection.setAttribute("aria-labelledby", "preview-heading");
  previewSection.hidden = true;
  const previewHeader = element("div", "version-preview-header");
  const previewHeading = element("h3", "panel-subheading");
  previewHeading.id = "preview-heading";
  const restoreButton = element("button", undefined, "Restore this version");
  restoreButton.type = "button";
  previewHeader.append(previewHeading, restoreButton);
  const restoreError = element("p", "form-error");
  restoreError.setAttribute("role", "alert");
  restoreError.hidden = true;
  const previewBody = element("div", "version-preview-body");
  const compareRow = element("div", "version-compare");
  const compareLabel = element("label", undefined, "Show changes");
  compareLabel.htmlFor = "version-compare";
  const compareSelect = element("select");
  compareSelect.id = "version-compare";
  compareRow.append(compareLabel, compareSelect);
  const diffBody = element("div", "version-diff-body");
  previewSection.append(previewHeader, restoreError, compareRow, diffBody, previewBody);

  panel.append(header, authorRow, form, status, listHeading, list, previewSection);
  options.host.append(panel);
  toggle.hidden = false;

  const applyPermissions = () => {
    form.hidden = !permissions.keep;
    restoreButton.hidden = !permissions.restore;
  };
  applyPermissions();

  const shortLabel = (version: { name: string; kind: VersionKind }) =>
    ({
      auto: "Automatic version",
      named: version.name,
      before_restore: "Before a restore",
      before_wipe: "Before most of the content was removed",
      restore: "Restored",
    })[version.kind] ?? version.name;
  const versionLabel = (version: Version) => {
    if (version.kind !== "restore") return shortLabel(version);
    const source = version.restored_from;
    if (!source) return "Restored an older version";
    const when = new Date(source.created_at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
    return source.kind === "named" ? `Restored “${source.name}”` : `Restored the version of ${when}`;
  };

  /** The version listed just before (older than) ``id``, if any. */
  const previousOf = (id: string) => {
    const index = versions.findIndex((v) => v.id === id);
    return index >= 0 ? versions[index + 1] : undefined;
  };

  const showDiff = async (id: string) => {
    const against = compareSelect.value;
    diffBody.replaceChildren(element("p", "panel-status", "Comparing…"));
    // "previous" reads from the older version to this one; "current" from this one to now.
    const previous = previousOf(id);
    const url =
      against === "previous" && previous
        ? `${versionsUrl}/${previous.id}/diff?against=${id}`
        : `${versionsUrl}/${id}/diff?against=current`;
    try {
      const diff = await apiGet<VersionDiff>(url);
      if (selected !== id || compareSelect.value !== against) return;
      const rendered = renderDiff(diff);
      diffBody.replaceChildren(rendered);
      const editor = options.editor?.();
      if (diff.kind === "text" && editor && !editor.isDestroyed) {
        // Who wrote the insertions is a hint: without the map the diff stands as it is.
        const map = await fetchAuthorMap(authorsUrl).catch(() => null);
        if (map && !editor.isDestroyed) annotateInsertions(rendered, editor, map);
      }
    } catch (reason) {
      diffBody.replaceChildren(element("p", "form-error", errorMessage(reason, "Could not compare this version.")));
    }
  };

  const renderList = () => {
    list.replaceChildren();
    if (versions.length === 0) {
      list.append(element("li", "empty", "No versions yet. Save one to come back to it later."));
      return;
    }
    for (const version of versions) {
      const item = element("li");
      const button = element("button", "version");
      button.type = "button";
      button.dataset.versionId = version.id;
      button.setAttribute("aria-pressed", String(version.id === selected));
      const name = element("span", "version-name", versionLabel(version));
      const meta = element("span", "version-meta");
      const author = version.created_by
        ? version.created_by.display_name || version.created_by.username
        : version.is_automatic
          ? "Collab"
          : "Someone";
      button.dataset.kind = version.kind;
      meta.append(`${author} · `, timeElement(version.created_at));
      button.append(name, meta);
      button.addEventListener("click", () => void select(version.id));
      item.append(button);
      list.append(item);
    }
  };

  /** Fetches the list; ``quietly`` keeps the status line as it is (it says what just happened). */
  const load = async (quietly = false) => {
    if (!quietly) status.textContent = "Loading versions…";
    try {
      versions = await apiGetAll<Version>(versionsUrl);
      loaded = true;
      if (!quietly) status.textContent = "";
    } catch (reason) {
      status.textContent = errorMessage(reason, "Could not load the versions.");
    }
    renderList();
  };

  const select = async (id: string) => {
    selected = id;
    // In place, not re-rendered: the pressed button keeps the focus.
    for (const button of list.querySelectorAll<HTMLButtonElement>("button.version")) {
      button.setAttribute("aria-pressed", String(button.dataset.versionId === id));
    }
    const version = versions.find((v) => v.id === id);
    previewHeading.textContent = version ? `Preview: ${versionLabel(version)}` : "Preview";
    previewSection.hidden = false;
    showError(restoreError, null);
    const previous = previousOf(id);
    compareSelect.replaceChildren(
      ...(previous ? [new Option("Since the version before", "previous")] : []),
      new Option("Against the current document", "current"),
    );
    void showDiff(id);
    preview?.destroy();
    preview = null;
    previewBody.replaceChildren(element("p", "panel-status", "Loading…"));
    try {
      const detail = await apiGet<VersionDetail>(`${versionsUrl}/${id}?format=json`);
      if (selected !== id) return;
      const shown = await renderPreview(kind, detail.content, options.documentId);
      if (selected !== id) return shown.destroy();
      preview = shown;
      previewBody.replaceChildren(preview.element);
    } catch (reason) {
      previewBody.replaceChildren(element("p", "form-error", errorMessage(reason, "Could not load this version.")));
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    if (!name) {
      showError(formError, "Give the version a name.");
      nameInput.focus();
      return;
    }
    saveButton.disabled = true;
    showError(formError, null);
    try {
      const created = await apiPost<Version>(versionsUrl, { name }, csrfToken);
      nameInput.value = "";
      status.textContent = `Saved the version “${created.name}”.`;
      versions = [created, ...versions.filter((v) => v.id !== created.id)];
      renderList();
    } catch (reason) {
      showError(formError, errorMessage(reason, "Could not save the version."));
      nameInput.focus();
    } finally {
      saveButton.disabled = false;
    }
  });

  restoreButton.addEventListener("click", async () => {
    const version = versions.find((v) => v.id === selected);
    if (!version) return;
    const confirmed = await confirmAction({
      title: `Restore “${versionLabel(version)}”?`,
      body: "The document's content becomes this version's for everyone who has it open. Undo takes it back, and the current content stays in the history.",
      confirm: "Restore",
    });
    if (!confirmed) return;
    restoreButton.disabled = true;
    showError(restoreError, null);
    try {
      await apiRequest("POST", `${versionsUrl}/${version.id}/restore`, csrfToken);
      status.textContent = `Restored “${versionLabel(version)}”.`;
      await load(true);
      // The restore's own entry, and what it brought back.
      if (versions[0]?.kind === "restore") await select(versions[0].id);
    } catch (reason) {
      showError(restoreError, errorMessage(reason, "Could not restore this version."));
    } finally {
      restoreButton.disabled = false;
    }
  });

  const open = () => {
    panel.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    document.documentElement.classList.add("history-open");
    if (!loaded) void load();
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  };
  const close = () => {
    panel.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    document.documentElement.classList.remove("history-open");
    toggle.focus();
  };
  compareSelect.addEventListener("change", () => {
    if (selected) void showDiff(selected);
  });
  toggle.addEventListener("click", () => (panel.hidden ? open() : close()));
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented) {
      event.preventDefault();
      close();
    }
  });

  return {
    open,
    close,
    setPermissions(next) {
      permissions = next;
      applyPermissions();
    },
    editorChanged() {
      if (authorToggle.checked) currentColours()?.setEnabled(true);
    },
  };
}
