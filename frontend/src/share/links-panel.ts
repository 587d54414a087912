// The document's share links, in its header (owners and editors): make a link (view, comment
// or edit; an optional expiry), copy it (shown once: only its digest is stored), list the
// links that work and revoke them. The REST API is documents/{id}/share-links.

import { apiGet, apiRequest, errorMessage } from "../api";
import { element } from "../ui/dom";

interface ShareLink {
  id: number;
  role: "viewer" | "commenter" | "editor";
  prefix: string;
  expires_at: string | null;
  is_expired: boolean;
  created_by: { username: string } | null;
}

const ROLE_NAMES = { viewer: "Can view", commenter: "Can comment", editor: "Can edit" };
const EXPIRIES: [string, number | null][] = [
  ["Never expires", null],
  ["Expires in a day", 24 * 3600],
  ["Expires in a week", 7 * 24 * 3600],
];

function select(label: string, options: [string, string][]): HTMLSelectElement {
  const control = element("select");
  control.setAttribute("aria-label", label);
  for (const [value, text] of options) {
    const option = element("option", undefined, text);
    option.value = value;
    control.append(option);
  }
  return control;
}

export function mountShareLinks(panel: HTMLElement, url: string, csrfToken: string): void {
  const role = select("What the link allows", Object.entries(ROLE_NAMES));
  const expiry = select(
    "When the link expires",
    EXPIRIES.map(([text], index) => [String(index), text] as [string, string]),
  );
  const make = element("button", "small", "Make link");
  make.type = "button";
  const made = element("p", "share-made");
  made.hidden = true;
  const madeUrl = element("input");
  madeUrl.readOnly = true;
  madeUrl.setAttribute("aria-label", "The new link (shown once)");
  const copy = element("button", "secondary small", "Copy");
  copy.type = "button";
  made.append(madeUrl, copy, element("small", undefined, " Copy it now: it is not shown again."));
  const status = element("p", "field-error");
  status.setAttribute("role", "alert");
  status.hidden = true;
  const list = element("ul", "share-link-rows");
  list.setAttribute("aria-label", "Share links");
  const body = element("div", "share-links-body");
  const form = element("div", "share-links-form");
  form.append(role, expiry, make);
  body.append(form, made, status, list);
  panel.append(body);

  const fail = (reason: unknown) => {
    status.textContent = errorMessage(reason);
    status.hidden = false;
  };
  const render = (links: ShareLink[]) => {
    list.replaceChildren(
      ...links.map((link) => {
        const item = element("li", "share-link-row");
        item.dataset.linkId = String(link.id);
        const when = link.is_expired
          ? "expired"
          : link.expires_at
            ? `until ${new Date(link.expires_at).toLocaleString()}`
            : "no expiry";
        const who = link.created_by ? `, by ${link.created_by.username}` : "";
        item.append(element("span", undefined, `${ROLE_NAMES[link.role]} · ${link.prefix}… · ${when}${who}`));
        const revoke = element("button", "secondary small", "Revoke");
        revoke.type = "button";
        revoke.addEventListener("click", () => {
          revoke.disabled = true;
          apiRequest("DELETE", `${url}/${link.id}`, csrfToken).then(refresh, (reason) => {
            revoke.disabled = false;
            fail(reason);
          });
        });
        item.append(revoke);
        return item;
      }),
    );
    if (!links.length) list.append(element("li", "empty-note", "No links yet."));
  };
  const refresh = () =>
    apiGet<{ results: ShareLink[] }>(url).then((page) => {
      status.hidden = true;
      render(page.results);
    }, fail);

  make.addEventListener("click", () => {
    make.disabled = true;
    const seconds = EXPIRIES[Number(expiry.value)][1];
    apiRequest<{ url: string }>("POST", url, csrfToken, { role: role.value, expires_in_seconds: seconds })
      .then((link) => {
        madeUrl.value = link.url;
        made.hidden = false;
        madeUrl.select();
        return refresh();
      }, fail)
      .finally(() => {
        make.disabled = false;
      });
  });
  copy.addEventListener("click", () => {
    navigator.clipboard.writeText(madeUrl.value).then(
      () => (copy.textContent = "Copied"),
      () => madeUrl.select(), // no clipboard permission: the text is selected to copy by hand
    );
  });
  panel.addEventListener("toggle", () => {
    if ((panel as HTMLDetailsElement).open) void refresh();
  });
}
