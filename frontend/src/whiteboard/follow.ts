// Follow mode's controls: a "Follow" list of the other people on the board, and the banner
// "Following <name>" with a button to stop. The board tracks the followed person's viewport
// (viewport.ts: followView) and stops when the follower pans or zooms, or presses Escape.

export interface FollowPeer {
  clientId: number;
  name: string;
}

export interface FollowControls {
  element: HTMLElement; // for the toolbar
  banner: HTMLElement;
  showPeers(peers: FollowPeer[]): void;
  showFollowing(name: string | null): void;
}

export function followControls(onFollow: (clientId: number | null) => void): FollowControls {
  const element = document.createElement("div");
  element.className = "toolbar-group";
  const list = document.createElement("select");
  list.className = "board-style-select";
  list.setAttribute("aria-label", "Follow");
  list.title = "Follow someone's view";
  list.addEventListener("change", () => onFollow(list.value ? Number(list.value) : null));
  element.append(list);
  const banner = document.createElement("div");
  banner.className = "board-follow-banner";
  banner.setAttribute("role", "status");
  banner.hidden = true;
  const text = document.createElement("span");
  const stop = document.createElement("button");
  stop.type = "button";
  stop.textContent = "Stop following";
  stop.addEventListener("click", () => onFollow(null));
  banner.append(text, stop);
  let shown = "";
  return {
    element,
    banner,
    showPeers(peers) {
      const key = JSON.stringify(peers);
      if (key === shown) return; // awareness changes often; the list seldom
      shown = key;
      const value = list.value;
      list.replaceChildren(new Option("Follow…", ""), ...peers.map((peer) => new Option(peer.name, String(peer.clientId))));
      list.value = peers.some((peer) => String(peer.clientId) === value) ? value : "";
    },
    showFollowing(name) {
      banner.hidden = name === null;
      text.textContent = name === null ? "" : `Following ${name}`;
      if (name === null) list.value = "";
    },
  };
}
