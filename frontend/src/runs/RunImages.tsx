import type { RunImageSummary } from "./events";
import { describeRunImage, runImageUrl } from "./runImages";

/** The images a run started with, as uploaded (each opens full size in a new tab). */
export function RunImages({ run, images }: { run: number; images: readonly RunImageSummary[] }) {
  if (images.length === 0) return null;
  return (
    <div className="run-images" aria-label="Run images">
      {images.map((image, index) => (
        <a key={index} href={runImageUrl(run, index + 1)} target="_blank" rel="noreferrer" title={describeRunImage(image)}>
          <img src={runImageUrl(run, index + 1)} alt={`image ${index + 1}: ${describeRunImage(image)}`} loading="lazy" />
        </a>
      ))}
    </div>
  );
}
