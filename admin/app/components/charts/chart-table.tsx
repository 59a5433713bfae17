import type { ReactNode } from "react";
import { TableScroll } from "../table-scroll.tsx";

interface ChartTableProps {
  title: string;
  columns: string[];
  /** One row per bar or group: its label first (the row's header), then its figures. */
  rows: Array<[string, ...ReactNode[]]>;
}

/** A chart's figures as a table, folded away: screen readers and people who want exact numbers get the same data. */
export function ChartTable({ title, columns, rows }: ChartTableProps) {
  return (
    <details className="text-sm">
      <summary className="link w-fit cursor-pointer">
        Show as table<span className="sr-only">: {title}</span>
      </summary>
      <TableScroll label={`${title}, table`} className="mt-2">
        <table className="data-table">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              {columns.map((column, i) => (
                <th key={column} scope="col" className={i > 0 ? "text-right" : undefined}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, ...cells]) => (
              <tr key={label}>
                <th scope="row" className="font-normal">
                  {label}
                </th>
                {cells.map((cell, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a row's cells are fixed columns, never reordered.
                  <td key={i} className="text-right tabular-nums">
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </details>
  );
}
