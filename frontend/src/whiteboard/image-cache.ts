// The board's images, loaded once per imageId: the first time the renderer asks for one it
// starts loading and decoding it (a placeholder draws meanwhile), and when it is ready or has
// failed the board is told to draw again. Exports ask for data URLs, so that the SVG file,
// and the PNG drawn from it, carry the pixels instead of URLs only this session may read.

import type { ImageSource } from "./content-render";
import type { Shape } from "./model";

/** Loads and decodes the image at ``url``; resolves with its natural width. */
export type ImageLoader = (url: string) => Promise<number>;
/** Reads the image at ``url`` as a data URL. */
export type DataUrlReader = (url: string) => Promise<string>;

export const loadImage: ImageLoader = async (url) => {
  const image = new Image();
  image.src = url;
  await image.decode();
  return image.naturalWidth;
};

export const readDataUrl: DataUrlReader = async (url) => {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`The image answered ${response.status}.`);
  const blob = await response.blob();
  return await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
};

export class ImageCache {
  private readonly sources = new Map<string, ImageSource>();

  /** ``urlOf`` names an image's display rendition; ``onChange`` runs when one finishes
   * loading (or fails), for the board to draw it. */
  constructor(
    private readonly urlOf: (imageId: string) => string,
    private readonly onChange: () => void,
    private readonly load: ImageLoader = loadImage,
    private readonly read: DataUrlReader = readDataUrl,
  ) {}

  /** The image's source as it is now; asking starts its loading the first time. */
  source(imageId: string): ImageSource {
    const known = this.sources.get(imageId);
    if (known) return known;
    const url = this.urlOf(imageId);
    const loading: ImageSource = { state: "loading", href: null, naturalWidth: 0 };
    this.sources.set(imageId, loading);
    this.load(url).then(
      (naturalWidth) => this.settle(imageId, { state: naturalWidth > 0 ? "ready" : "failed", href: url, naturalWidth }),
      () => this.settle(imageId, { state: "failed", href: null, naturalWidth: 0 }),
    );
    return loading;
  }

  /** Each of ``imageIds`` as a data URL, for an export; an image that cannot be read is left
   * out (it exports as its placeholder). */
  async dataUrls(imageIds: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    await Promise.all(
      [...new Set(imageIds)].map(async (imageId) => {
        try {
          found.set(imageId, await this.read(this.urlOf(imageId)));
        } catch {
          // An image gone or refused: the export shows its placeholder.
        }
      }),
    );
    return found;
  }

  private settle(imageId: string, source: ImageSource): void {
    this.sources.set(imageId, source);
    this.onChange();
  }
}

/** A drawing holding the images of ``shapes`` as data URLs read through ``cache``: for a
 * picture that must carry their pixels (an export, a version's preview). */
export async function embeddedDrawing(cache: ImageCache, shapes: Shape[]): Promise<{ image(imageId: string): ImageSource }> {
  return exportDrawing(await cache.dataUrls(shapes.flatMap((shape) => (shape.imageId ? [shape.imageId] : []))));
}

/** A drawing whose images come from ``urls`` (data URLs, for an export). */
export function exportDrawing(urls: Map<string, string>): { image(imageId: string): ImageSource } {
  return {
    image: (imageId) => {
      const href = urls.get(imageId);
      return href ? { state: "ready", href, naturalWidth: 0 } : { state: "failed", href: null, naturalWidth: 0 };
    },
  };
}

/** The URL of a stored image's display rendition (docs/images.md). */
export function imageUrl(documentId: string, imageId: string): string {
  return `/api/v1/documents/${documentId}/images/${imageId}`;
}
