import type { ConfusionGrid, SelectedCell } from "./options";

interface Props {
  router: string;
  grid: ConfusionGrid;
  /** The cell whose rows are listed: its button is pressed. */
  selected: SelectedCell | null;
  onCell: (expected: string, chosen: string) => void;
}

/** The confusion matrix as a table (the heat map is a canvas): each non-zero cell a button that
 *  lists its rows, as clicking the chart's cell does. */
export function ConfusionTable({ router, grid, selected, onCell }: Props) {
  const counts = new Map(grid.cells.map((cell) => [`${cell.expected}\u0000${cell.chosen}`, cell.count]));
  return (
    <details className="eval-confusion-table" open>
      <summary className="small muted">Counts as a table (expected ↓, chosen →)</summary>
      <div className="eval-scroll">
        <table className="eval-table eval-matrix" aria-label={`Confusion matrix of router ${router}`}>
          <thead>
            <tr>
              <th scope="col">expected \ chosen</th>
              {grid.labels.map((label) => (
                <th key={label} scope="col">{label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.labels.map((expected) => (
              <tr key={expected}>
                <th scope="row">{expected}</th>
                {grid.labels.map((chosen) => {
                  const count = counts.get(`${expected}\u0000${chosen}`) ?? 0;
                  const kind = expected === chosen ? "correct" : "confused";
                  const pressed = selected !== null && selected.expected === expected && selected.chosen === chosen;
                  return (
                    <td key={chosen} className={count > 0 ? `eval-cell-${kind}${pressed ? " eval-cell-selected" : ""}` : undefined}>
                      {count > 0 ? (
                        <button
                          className="link"
                          aria-pressed={pressed}
                          data-testid={`cell-${expected}-${chosen}`}
                          aria-label={`Rows expected ${expected}, chose ${chosen}: ${count}`}
                          onClick={() => onCell(expected, chosen)}
                        >
                          {count}
                        </button>
                      ) : (
                        <span className="muted">·</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
