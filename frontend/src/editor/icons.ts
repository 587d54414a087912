// The app's icons: small stroked SVGs drawn on a 24-unit grid (no icon font, no CDN, and no
// emoji, which show as empty boxes where no emoji font is installed). The server-rendered
// pages draw the same shapes inline (the bell, the sidebar's menu button).

const paths: Record<string, string> = {
  undo: "M9 14 4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11",
  redo: "m15 14 5-5-5-5M20 9H9.5a5.5 5.5 0 0 0 0 11H13",
  bold: "M7 5h6a3.5 3.5 0 0 1 0 7H7zM7 12h7a3.5 3.5 0 0 1 0 7H7z",
  italic: "M19 4h-9M14 20H5M15 4 9 20",
  strike: "M16 5.5C15 4.6 13.6 4 12 4c-2.8 0-4.5 1.6-4.5 3.6 0 1.6 1 2.7 3 3.4M4 12h16M8 18.5c1 .9 2.4 1.5 4 1.5 2.8 0 4.5-1.6 4.5-3.6 0-.9-.3-1.6-.9-2.2",
  code: "m16 18 6-6-6-6M8 6l-6 6 6 6",
  link: "M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7",
  bulletList: "M9 6h11M9 12h11M9 18h11M4.5 6h.01M4.5 12h.01M4.5 18h.01",
  orderedList: "M10 6h10M10 12h10M10 18h10M4 6h1v4M4 10h2M6 18H4c0-1 2-2 2-3s-1-1.5-2-1",
  taskList: "m3 17 2 2 4-4M3 7l2 2 4-4M13 6h8M13 12h8M13 18h8",
  quote: "M3 21c3 0 7-1 7-8V5H3v7h4c0 3.5-1.5 5-4 5zM14 21c3 0 7-1 7-8V5h-7v7h4c0 3.5-1.5 5-4 5z",
  codeBlock: "M4 4h16v16H4zM9.5 9 7 12l2.5 3M14.5 9l2.5 3-2.5 3",
  rule: "M3 12h18",
  image: "M4 4h16v16H4zM4 16l5-5 4 4 2-2 5 5M15 8.5h.01",
  table: "M3 4h18v16H3zM3 10h18M3 15h18M9 10v10M15 10v10",
  addReaction: "M19 13a8 8 0 1 1-8-8M7.5 15.5s1.3 1.8 3.5 1.8 3.5-1.8 3.5-1.8M8.5 10.5h.01M13.5 10.5h.01M19 2v6M16 5h6",
};

export function icon(name: string): SVGSVGElement {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "18");
  svg.setAttribute("height", "18");
  svg.setAttribute("fill", "none");
  svg.setAttribute("stroke", "currentColor");
  svg.setAttribute("stroke-width", "2");
  svg.setAttribute("stroke-linecap", "round");
  svg.setAttribute("stroke-linejoin", "round");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", paths[name] ?? "");
  svg.append(path);
  return svg;
}
