import type { Layer } from "./runState";

/** Each Mixture-of-Agents layer's answers side by side; an answer opens to its full text. */
export function LayerAnswers({ layers }: { layers: readonly Layer[] }) {
  if (layers.length === 0) return null;
  return (
    <section className="layers" aria-label="Layers">
      {layers.map((layer) => (
        <section key={layer.layer} className="layer">
          <h4>Layer {layer.layer}</h4>
          <div className="layer-answers">
            {layer.answers.map((answer) => (
              <details key={answer.node} className="layer-answer">
                <summary>
                  <strong>{answer.node}</strong> <span className="muted">{answer.output.slice(0, 60)}</span>
                </summary>
                <p>{answer.output}</p>
              </details>
            ))}
          </div>
        </section>
      ))}
    </section>
  );
}
