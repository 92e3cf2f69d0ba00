import type { Layer } from "./runState";

/** Each Mixture-of-Agents layer's answers side by side, each previewed over its first lines
 *  (wrapped, so answers can be read and compared at a glance); an answer opens to its full text. */
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
                  <strong>{answer.node}</strong>
                  <span className="layer-answer-preview" data-testid="layer-answer-preview">
                    {answer.output}
                  </span>
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
