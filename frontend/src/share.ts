// The share link page's entry (rooms/templates/rooms/share_link.html).

import { mountGuest, type ShareContext } from "./share/guest";

const data = document.getElementById("share-context");
const article = document.getElementById("share-doc");
if (data?.textContent && article) {
  mountGuest(article, JSON.parse(data.textContent) as ShareContext);
}
