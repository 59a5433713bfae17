/**
 * Chart colours as Tailwind classes, so each scheme gets its own shade: the 600s on white and the 300s/400s on the
 * dark background both keep the 3:1 contrast graphics need. `fill` paints SVG marks, `swatch` the legend's key.
 */
export const tones = {
  primary: { fill: "fill-indigo-600 dark:fill-indigo-400", swatch: "bg-indigo-600 dark:bg-indigo-400" },
  secondary: { fill: "fill-teal-600 dark:fill-teal-300", swatch: "bg-teal-600 dark:bg-teal-300" },
} as const;

export type Tone = keyof typeof tones;

export const gridLine = "stroke-gray-200 dark:stroke-gray-700";
export const track = "fill-gray-100 dark:fill-gray-800";
