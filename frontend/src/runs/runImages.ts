/**
 * Images a run starts with, as the run panel attaches them: the server's limits
 * (`GET /api/runs/image-limits/`), the type read from the file's first bytes, and the very
 * messages of `workers/images.py`, so that a refusal reads the same before and after upload.
 * The server checks everything again, the pixel limit included (which needs the file's header).
 */
import type { RunImageSummary } from "./events";

/** `webapp/runs/serializers.py` ImageLimitsOutput. */
export interface ImageLimits {
  max_images: number;
  media_types: string[];
  /** Per image, as uploaded. */
  max_bytes: number;
  /** Width x height, per image. */
  max_pixels: number;
}

/** The server's defaults, used until its configured limits have arrived. */
export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  max_images: 4,
  media_types: ["image/png", "image/jpeg", "image/webp", "image/gif"],
  max_bytes: 10_000_000,
  max_pixels: 50_000_000,
};

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  "image/png": "PNG",
  "image/jpeg": "JPEG",
  "image/webp": "WebP",
  "image/gif": "GIF",
};

/** How many leading bytes `sniffMediaType` needs. */
export const SNIFF_BYTES = 12;

/** What a file picker offers (`accept`). */
export const ACCEPTED_TYPES = Object.keys(FORMAT_NAMES).join(",");

/** The part of a `File` the checks read. */
export interface FileFacts {
  name: string;
  /** The browser's MIME type from the extension; "" when it has none. */
  type: string;
  size: number;
}

/** `"12.3 MB"` (1 MB = 1,000,000 bytes, rounded half up in integers, as `workers.images.megabytes`). */
export function megabytes(size: number): string {
  const tenths = Math.floor((size + 50_000) / 100_000);
  return `${Math.floor(tenths / 10)}.${tenths % 10} MB`;
}

/** The media type a file's first bytes announce (PNG, JPEG, WebP, GIF signatures), or null. */
export function sniffMediaType(head: Uint8Array): string | null {
  const starts = (bytes: readonly number[], at = 0) => bytes.every((byte, i) => head[at + i] === byte);
  const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts(ascii("RIFF")) && starts(ascii("WEBP"), 8)) return "image/webp";
  if (starts(ascii("GIF87a")) || starts(ascii("GIF89a"))) return "image/gif";
  return null;
}

/** How messages name an image: `"image 2 (cat.png)"`. */
export function imageLabel(number: number, name: string): string {
  return name === "" ? `image ${number}` : `image ${number} (${name})`;
}

/** Why image `number` (from 1) cannot go with a run, or null when it can: the server's checks
 *  in its order (content, declared type, bytes) and with its words. */
export function imageProblem(file: FileFacts, head: Uint8Array, number: number, limits: ImageLimits): string | null {
  const label = imageLabel(number, file.name);
  if (file.size === 0) return `${label} is empty`;
  const found = sniffMediaType(head);
  if (found === null) return `${label} is not a PNG, JPEG, WebP or GIF image`;
  const declared = file.type === "image/jpg" ? "image/jpeg" : file.type;
  if (declared !== "" && declared !== "application/octet-stream") {
    if (!limits.media_types.includes(declared)) {
      return `${label} is declared as ${declared}; accepted types are ${limits.media_types.join(", ")}`;
    }
    if (declared !== found) return `${label} is declared as ${declared} but its content is ${FORMAT_NAMES[found]}`;
  }
  if (file.size > limits.max_bytes) {
    return `${label} is ${megabytes(file.size)}; the limit is ${megabytes(limits.max_bytes)}`;
  }
  return null;
}

/** The refusal of `count` images when that is more than a run takes, else null. */
export function tooManyImages(count: number, limits: ImageLimits): string | null {
  return count > limits.max_images ? `a run takes at most ${limits.max_images} images, got ${count}` : null;
}

/** Where the server serves image `number` (from 1) of a run, as uploaded. */
export function runImageUrl(run: number, number: number): string {
  return `/api/runs/${run}/images/${number}/`;
}

/** A run image's working copy in a few words: `"1024×768 JPEG"`. */
export function describeRunImage(image: RunImageSummary): string {
  return `${image.width}×${image.height} ${FORMAT_NAMES[image.media_type] ?? image.media_type}`;
}

/** The multipart body of a run with images (`POST /api/graphs/{id}/runs/`). */
export function runForm(input: string, images: readonly File[]): FormData {
  const form = new FormData();
  form.append("input", input);
  for (const image of images) form.append("images", image, image.name);
  return form;
}
