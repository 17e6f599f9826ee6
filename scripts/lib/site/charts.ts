// The geometry of the statistics' charts, in SVG user units: templates draw it (so every label stays escaped text), CSS colours it.
import { WEEKDAYS, type MonthCount } from "./stats.ts";

export interface Bar {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly month: string;
  readonly comments: number;
}

export interface BarChart {
  readonly width: number;
  readonly height: number;
  /** Where the bars stand. */
  readonly baseline: number;
  /** The largest count, which the top of the plot stands for. */
  readonly max: number;
  readonly top: number;
  readonly bars: readonly Bar[];
  /** Year labels under the bars, thinned out so they do not overlap. */
  readonly years: readonly { readonly x: number; readonly label: string }[];
}

/** Small enough that its 16-unit labels stay readable on a phone, where it is drawn ~350 px wide. */
const CHART_WIDTH = 480;
const PLOT_TOP = 24;
const PLOT_HEIGHT = 160;
/** Room under the plot for the year labels. */
const AXIS_HEIGHT = 28;
/** About the width of a year label at the chart's font size, in user units. */
const YEAR_LABEL_WIDTH = 44;

const round = (n: number): number => Math.round(n * 100) / 100;

/** Bars of comments per month over the chart's fixed width: a long span has thinner bars, never a wider chart. */
export function barChart(months: readonly MonthCount[]): BarChart {
  const max = months.reduce((m, { comments }) => Math.max(m, comments), 0);
  const slot = CHART_WIDTH / Math.max(months.length, 1);
  const gap = slot >= 4 ? Math.min(slot * 0.2, 4) : 0;
  const baseline = PLOT_TOP + PLOT_HEIGHT;
  const bars = months.map(({ month, comments }, i): Bar => {
    const height = max === 0 ? 0 : round((comments / max) * PLOT_HEIGHT);
    return { x: round(i * slot + gap / 2), y: round(baseline - height), width: round(slot - gap), height, month, comments };
  });
  const yearSlot = slot * 12;
  const every = Math.max(1, Math.ceil(YEAR_LABEL_WIDTH / yearSlot));
  const firstYear = Number(months[0]?.month.slice(0, 4));
  const years = months.flatMap(({ month }, i) => {
    const year = Number(month.slice(0, 4));
    const starts = i === 0 || month.endsWith("-01");
    // The first label sits at the first bar; later ones at their January, when that leaves room after the first.
    if (!starts || (year - firstYear) % every !== 0 || (i > 0 && i * slot < YEAR_LABEL_WIDTH)) return [];
    return [{ x: round(i * slot), label: String(year) }];
  });
  return { width: CHART_WIDTH, height: baseline + AXIS_HEIGHT, baseline, max, top: PLOT_TOP, bars, years };
}

export interface HeatCell {
  readonly x: number;
  readonly y: number;
  readonly size: number;
  /** 0 Monday … 6 Sunday */
  readonly weekday: number;
  readonly hour: number;
  /** `Monday` */
  readonly weekdayName: string;
  readonly comments: number;
  /** 0 for none; else from 0.15 (fewest) to 1 (most), for the cell's fill opacity. */
  readonly level: number;
}

export interface HeatMap {
  readonly width: number;
  readonly height: number;
  readonly max: number;
  readonly cells: readonly HeatCell[];
  /** Where the weekday labels end and the hour labels sit. */
  readonly labelWidth: number;
  readonly hours: readonly { readonly x: number; readonly label: string }[];
  readonly weekdays: readonly { readonly y: number; readonly name: string; readonly short: string }[];
}

const CELL = 16;
const HEAT_LABEL_WIDTH = 40;
const HEAT_AXIS_HEIGHT = 20;

/** A grid of comments per weekday (rows, Monday first) and UTC hour (columns). */
export function heatMap(weekdayHours: readonly (readonly number[])[]): HeatMap {
  const max = weekdayHours.reduce((m, row) => row.reduce((r, n) => Math.max(r, n), m), 0);
  const cells = weekdayHours.flatMap((row, weekday) =>
    row.map((comments, hour): HeatCell => ({
      x: HEAT_LABEL_WIDTH + hour * CELL + 1,
      y: weekday * CELL + 1,
      size: CELL - 2,
      weekday,
      hour,
      weekdayName: WEEKDAYS[weekday] ?? "",
      comments,
      level: comments === 0 || max === 0 ? 0 : round(0.15 + (0.85 * comments) / max),
    })),
  );
  return {
    width: HEAT_LABEL_WIDTH + 24 * CELL,
    height: weekdayHours.length * CELL + HEAT_AXIS_HEIGHT,
    max,
    cells,
    labelWidth: HEAT_LABEL_WIDTH,
    hours: [0, 6, 12, 18].map((hour) => ({ x: HEAT_LABEL_WIDTH + hour * CELL, label: `${String(hour).padStart(2, "0")}:00` })),
    weekdays: weekdayHours.map((_, weekday) => {
      const name = WEEKDAYS[weekday] ?? "";
      return { y: weekday * CELL + CELL / 2, name, short: name.slice(0, 3) };
    }),
  };
}
