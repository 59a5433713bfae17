import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { formatNumber } from "../format.ts";
import { type Tone, tones, track } from "./palette.ts";

interface Category {
  /** Unique within the chart. */
  label: string;
  value: number;
}

interface CategoryBarChartProps {
  title: string;
  items: Category[];
  tone?: Tone;
}

// One row of the grid per category, 2.5rem high (room for a label on two lines); the SVG spans them all with a viewBox
// row of the same height, so each bar sits beside its HTML label. Width is stretched (preserveAspectRatio="none"):
// bars only, no text inside.
const ROW = 40;
const WIDTH = 100;

/** A horizontal bar per category, labels and values as text beside it, drawn on the server; its figures belong in a table beside it. */
export function CategoryBarChart({ title, items, tone = "primary" }: CategoryBarChartProps) {
  const max = Math.max(0, ...items.map((i) => i.value));
  const y = scaleBand({ domain: items.map((i) => i.label), range: [0, items.length * ROW], paddingInner: 0.45, paddingOuter: 0.225 });
  const x = scaleLinear({ domain: [0, Math.max(max, 1)], range: [0, WIDTH] });
  const summary = `${title}: ${items.map((i) => `${i.label} ${formatNumber(i.value)}`).join(", ")}.`;

  return (
    <figure className="@container space-y-3">
      <figcaption className="text-sm font-semibold">{title}</figcaption>
      <div
        className="grid grid-cols-[minmax(0,8rem)_minmax(0,1fr)_auto] gap-x-3 @md:grid-cols-[minmax(0,11rem)_minmax(0,1fr)_auto]"
        style={{ gridTemplateRows: `repeat(${items.length}, 2.5rem)` }}
      >
        {items.map((item, i) => (
          <span
            key={item.label}
            aria-hidden="true"
            title={item.label}
            className="line-clamp-2 self-center text-sm leading-tight"
            style={{ gridRow: i + 1, gridColumn: 1 }}
          >
            {item.label}
          </span>
        ))}
        <svg
          viewBox={`0 0 ${WIDTH} ${items.length * ROW}`}
          preserveAspectRatio="none"
          width="100%"
          className="h-full"
          style={{ gridRow: `1 / span ${items.length}`, gridColumn: 2 }}
          role="img"
          aria-label={summary}
        >
          {items.map((item) => (
            <g key={item.label}>
              <rect x={0} y={y(item.label)} width={WIDTH} height={y.bandwidth()} className={track} />
              {item.value > 0 && <Bar x={0} y={y(item.label)} width={x(item.value)} height={y.bandwidth()} className={tones[tone].fill} />}
            </g>
          ))}
        </svg>
        {items.map((item, i) => (
          <span key={item.label} aria-hidden="true" className="self-center text-right text-sm tabular-nums" style={{ gridRow: i + 1, gridColumn: 3 }}>
            {formatNumber(item.value)}
          </span>
        ))}
      </div>
    </figure>
  );
}
