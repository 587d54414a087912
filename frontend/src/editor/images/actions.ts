// The toolbar's image buttons: insert (pick files) and describe the selected image.

import type { Editor } from "@tiptap/core";
import { openAltDialog } from "./alt-dialog";
import { pickImages } from "./uploads";

export const imageActions = [
  { label: "Insert image", icon: "image", run: (e: Editor) => pickImages(e) },
  {
    label: "Image description",
    text: "Alt",
    run: (e: Editor) => openAltDialog(e),
    active: (e: Editor) => e.isActive("image") && Boolean(e.getAttributes("image").alt),
    enabled: (e: Editor) => e.isActive("image"),
  },
];
