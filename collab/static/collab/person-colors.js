// Colours people picked reach server-rendered pages as data-color attributes, applied here
// through the CSSOM: the Content-Security-Policy refuses style="" attributes in markup, not
// properties set from a script (collab/security_headers.py). app.css reads --person-color.
for (const element of document.querySelectorAll("[data-color]")) {
  element.style.setProperty("--person-color", element.dataset.color);
}
