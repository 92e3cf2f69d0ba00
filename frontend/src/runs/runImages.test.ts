import { describe, expect, it } from "vitest";

import type { RunEvent } from "./events";
import {
  DEFAULT_IMAGE_LIMITS,
  describeRunImage,
  imageProblem,
  megabytes,
  runForm,
  sniffMediaType,
  tooManyImages,
} from "./runImages";
import { applyEvents, emptyView } from "./runState";

const bytes = (...values: (number | string)[]) =>
  new Uint8Array(values.flatMap((v) => (typeof v === "number" ? [v] : [...v].map((c) => c.charCodeAt(0)))));

const PNG = bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0);
const WEBP = bytes("RIFF", 0, 0, 0, 0, "WEBP");
const GIF = bytes("GIF89a");

describe("image files", () => {
  it("are recognised by their first bytes", () => {
    expect([PNG, JPEG, WEBP, GIF].map(sniffMediaType)).toEqual(["image/png", "image/jpeg", "image/webp", "image/gif"]);
    expect(sniffMediaType(bytes("%PDF-1.7"))).toBeNull();
    expect(sniffMediaType(bytes("RIFF", 0, 0, 0, 0, "WAVE"))).toBeNull();
  });

  it("that are fine have no problem, whatever the browser called them", () => {
    for (const type of ["image/png", "", "application/octet-stream"]) {
      expect(imageProblem({ name: "a.png", type, size: 100 }, PNG, 1, DEFAULT_IMAGE_LIMITS)).toBeNull();
    }
    expect(imageProblem({ name: "a.jpg", type: "image/jpg", size: 100 }, JPEG, 1, DEFAULT_IMAGE_LIMITS)).toBeNull();
  });

  it("are refused in the server's words", () => {
    const problem = (name: string, type: string, size: number, head: Uint8Array) =>
      imageProblem({ name, type, size }, head, 2, DEFAULT_IMAGE_LIMITS);

    expect(problem("empty.png", "image/png", 0, PNG)).toBe("image 2 (empty.png) is empty");
    expect(problem("notes.txt", "text/plain", 10, bytes("hello"))).toBe(
      "image 2 (notes.txt) is not a PNG, JPEG, WebP or GIF image",
    );
    expect(problem("photo.png", "image/png", 10, JPEG)).toBe(
      "image 2 (photo.png) is declared as image/png but its content is JPEG",
    );
    expect(problem("photo.bmp", "image/bmp", 10, JPEG)).toBe(
      "image 2 (photo.bmp) is declared as image/bmp; accepted types are image/png, image/jpeg, image/webp, image/gif",
    );
    expect(problem("big.gif", "image/gif", 12_340_000, GIF)).toBe("image 2 (big.gif) is 12.3 MB; the limit is 10.0 MB");
  });

  it("follow the server's configured limits", () => {
    const limits = { ...DEFAULT_IMAGE_LIMITS, max_bytes: 20_000, max_images: 2 };

    expect(imageProblem({ name: "", type: "", size: 140_000 }, PNG, 1, limits)).toBe(
      "image 1 is 0.1 MB; the limit is 0.0 MB",
    );
    expect(tooManyImages(2, limits)).toBeNull();
    expect(tooManyImages(3, limits)).toBe("a run takes at most 2 images, got 3");
  });

  it("show sizes as the server does, rounding half up", () => {
    expect([0, 49_999, 250_000, 10_000_000].map(megabytes)).toEqual(["0.0 MB", "0.0 MB", "0.3 MB", "10.0 MB"]);
  });

  it("go with the input as multipart parts named images", () => {
    const file = new File([PNG], "a.png", { type: "image/png" });

    const form = runForm("What is this?", [file, file]);

    expect(form.get("input")).toBe("What is this?");
    expect(form.getAll("images")).toHaveLength(2);
  });
});

describe("a run's images", () => {
  const image = { media_type: "image/jpeg", width: 1024, height: 768, bytes: 87_000, sha256: "ab" };

  it("come from its first event into the view", () => {
    const started: RunEvent = {
      run: "7",
      seq: 1,
      ts: "2026-01-01T00:00:00.000Z",
      type: "run.started",
      node: null,
      data: { input: { text: "What is this?", images: [image] }, nodes: 3 },
    };

    const view = applyEvents(emptyView(["q"]), [started]);

    expect(view.images).toEqual([image]);
    expect(applyEvents(emptyView(["q"]), []).images).toEqual([]);
  });

  it("are described by their working copy", () => {
    expect(describeRunImage(image)).toBe("1024×768 JPEG");
  });
});
