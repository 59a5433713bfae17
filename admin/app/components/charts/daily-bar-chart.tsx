import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { formatCompact, formatNumber, formatDay } from "../format.ts";
import { gridLine, type Tone, tones } from "./palette.ts";

interface DailySeries<T> {
  /** Plural, as it reads after a number: "paid runs". */
  label: string;
  tone: Tone;
  value: (day: T) => number;
}

interface DailyBarChartProps<T extends { date: string }> {
  title: string;
  /** Every day of the period, oldest first (YYYY-MM-DD). */
  days: T[];
  /** One series draws plain bars; several are stacked, the first at the bottom. */
  series: DailySeries<T>[];
}

// The bars live in a fixed viewBox stretched to the box (preserveAspectRatio="none"), while the axis labels are HTML
// around it: the chart fills any width at a fixed height and its text keeps its size, from a phone to a wide screen.
const WIDTH = 600;
const HEIGHT = 200;
const MAX_DAY_LABELS = 6;

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/**
 * A bar per UTC day, drawn on the server: no JavaScript is needed to see it, and it is read out as one summary. Its
 * figures belong in a ChartTable beside it (one table can serve several charts of the same days).
 */
export function DailyBarChart<T extends { date: string }>({ title, days, series }: DailyBarChartProps<T>) {
  const totals = days.map((day) => sum(series.map((s) => s.value(day))));
  const max = Math.max(0, ...totals);
  const x = scaleBand({ domain: days.map((d) => d.date), range: [0, WIDTH], paddingInner: days.length > 45 ? 0.15 : 0.3, paddingOuter: 0.1 });
  const y = scaleLinear({ domain: [0, Math.max(max, 1)], range: [HEIGHT, 0], nice: true });
  const top = y.domain()[1]!;
  // Counts only: a tick at 0.5 of a run would mean nothing.
  const ticks = y.ticks(4).filter(Number.isInteger);
  const step = Math.ceil(days.length / MAX_DAY_LABELS);
  // Labelled from the newest day back, so today always has its date.
  const labelled = days.filter((_, i) => (days.length - 1 - i) % step === 0);
  const stacked = series.length > 1;

  const peak = totals.indexOf(max);
  const perSeries = stacked ? ` (${series.map((s) => `${formatNumber(sum(days.map(s.value)))} ${s.label}`).join(", ")})` : "";
  const range = days.length > 0 ? `, ${formatDay(days[0]!.date)} to ${formatDay(days.at(-1)!.date)}` : "";
  const summary = `${title}${range}: ${formatNumber(sum(totals))} in total${perSeries}${max > 0 ? `; the most on ${formatDay(days[peak]!.date)}, ${formatNumber(max)}` : ""}.`;

  return (
    <figure className="@container space-y-3">
      <figcaption className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <span className="text-sm font-semibold">{title}</span>
        {stacked && (
          <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
            {series.map((s) => (
              <li key={s.label} className="flex items-center gap-1.5">
                <span aria-hidden="true" className={`size-2.5 rounded-sm ${tones[s.tone].swatch}`} />
                {s.label}
              </li>
            ))}
          </ul>
        )}
      </figcaption>
      <div className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-2">
        <div aria-hidden="true" className="muted relative h-40 w-9 text-right text-xs tabular-nums sm:h-48">
          {ticks.map((t) => (
            <span key={t} className="absolute right-0 -translate-y-1/2 leading-none" style={{ top: `${(1 - t / top) * 100}%` }}>
              {formatCompact(t)}
            </span>
          ))}
        </div>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" width="100%" className="block h-40 sm:h-48" role="img" aria-label={summary}>
          {ticks.map((t) => (
            <line key={t} x1={0} x2={WIDTH} y1={y(t)} y2={y(t)} className={gridLine} vectorEffect="non-scaling-stroke" />
          ))}
          {days.map((day) => {
            let base = 0;
            return series.map((s) => {
              const value = s.value(day);
              const from = base;
              base += value;
              if (value <= 0) return null;
              return (
                <Bar
                  key={`${day.date}-${s.label}`}
                  x={x(day.date)}
                  y={y(from + value)}
                  width={x.bandwidth()}
                  height={y(from) - y(from + value)}
                  className={tones[s.tone].fill}
                />
              );
            });
          })}
        </svg>
        <div aria-hidden="true" className="muted relative col-start-2 mt-1 h-4 text-xs">
          {labelled.map((day, i) => {
            const at = ((x(day.date) ?? 0) + x.bandwidth() / 2) / WIDTH;
            // Shifted by as much of its own width as it sits across the chart: the first and last labels stay inside.
            // In a narrow chart every other label gives way, counting from the newest, so none overlap.
            const spare = (labelled.length - 1 - i) % 2 === 1;
            return (
              <span
                key={day.date}
                className={`absolute whitespace-nowrap ${spare ? "hidden @sm:inline" : ""}`}
                style={{ left: `${at * 100}%`, transform: `translateX(-${at * 100}%)` }}
              >
                {formatDay(day.date)}
              </span>
            );
          })}
        </div>
      </div>
    </figure>
  );
}
