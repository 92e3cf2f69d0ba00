import type { ReactNode, TableHTMLAttributes } from "react";

/** A column's heading: its text, or, for a column of buttons or links, a name that only screen
 *  readers hear. */
export type Column = string | { readonly ariaLabel: string };

interface Props extends TableHTMLAttributes<HTMLTableElement> {
  columns: readonly Column[];
  /** The body's rows. */
  children: ReactNode;
}

/** A table with one header row, `columns`, above `children`; other props go to the `<table>`. */
export function DataTable({ columns, children, ...table }: Props) {
  return (
    <table {...table}>
      <thead>
        <tr>
          {columns.map((column, index) =>
            typeof column === "string" ? <th key={index}>{column}</th> : <th key={index} aria-label={column.ariaLabel} />,
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
