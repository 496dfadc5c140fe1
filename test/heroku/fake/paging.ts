// Heroku's list paging: `Range: <field> [start]..[end]; max=N[, order=desc]` in, a page out with
// 206 and `Next-Range` while more remain. Without a Range header Heroku serves 200 items. Numbers
// (release versions) compare as numbers, everything else as text.
import { FakeHttpError } from "./http";

export const DEFAULT_PAGE = 200;
export const MAX_PAGE = 1000;

export interface Page {
  readonly status: 200 | 206;
  readonly items: unknown[];
  readonly headers: Record<string, string>;
}

/**
 * Cuts one page out of `items` per the Range header; `pageSize` caps what the fake serves;
 * `aliases` maps a range field to the property it orders by (`started_at` -> `created_at`).
 */
export function pageOf(
  items: unknown[],
  range: string | undefined,
  pageSize: number,
  aliases: Readonly<Record<string, string>> = {},
): Page {
  const records = items as Record<string, unknown>[];
  // Lists of things without ids (buildpack installations) are short and come whole, in order.
  if (records.length > 0 && !("id" in records[0]!)) return { status: 200, items, headers: {} };
  const spec = parseRange(range);
  const property = aliases[spec.field] ?? spec.field;
  if (records.length > 0 && !(property in records[0]!)) {
    throw new FakeHttpError(400, "invalid_range", `Cannot range over ${spec.field}.`);
  }
  const key = (item: Record<string, unknown>) => String(item[property]);
  const sorted = [...records].sort((a, b) => compare(key(a), key(b)));
  if (spec.order === "desc") sorted.reverse();
  const after = (value: string, bound: string) =>
    spec.order === "desc" ? compare(value, bound) < 0 : compare(value, bound) > 0;
  const inRange = sorted.filter((item) => {
    const value = key(item);
    if (spec.start !== "") {
      if (spec.exclusive ? !after(value, spec.start) : after(spec.start, value)) return false;
    }
    return spec.end === "" || !after(value, spec.end);
  });
  const limit = Math.min(spec.max, pageSize);
  const page = inRange.slice(0, limit);
  const headers: Record<string, string> = {};
  if (page.length > 0) {
    headers["Content-Range"] = `${spec.field} ${key(page[0]!)}..${key(page[page.length - 1]!)}`;
  }
  if (inRange.length <= limit) return { status: 200, items: page, headers };
  const order = spec.order ? `, order=${spec.order}` : "";
  headers["Next-Range"] =
    `${spec.field} ]${key(page[page.length - 1]!)}..; max=${spec.max}${order}`;
  return { status: 206, items: page, headers };
}

function compare(a: string, b: string): number {
  const numeric = /^\d+$/;
  return numeric.test(a) && numeric.test(b) ? Number(a) - Number(b) : a.localeCompare(b);
}

interface RangeSpec {
  field: string;
  exclusive: boolean;
  start: string;
  end: string;
  max: number;
  order?: "asc" | "desc";
}

function parseRange(header: string | undefined): RangeSpec {
  if (header === undefined || header.trim() === "") {
    return { field: "id", exclusive: false, start: "", end: "", max: DEFAULT_PAGE };
  }
  const m = /^\s*([a-z_]+)\s+(\]?)([^.;]*)\.\.([^;]*?)\s*(?:;\s*(.*))?$/.exec(header);
  if (!m) throw new FakeHttpError(400, "invalid_range", `Invalid Range header: ${header}`);
  const spec: RangeSpec = {
    field: m[1]!,
    exclusive: m[2] === "]",
    start: m[3]!.trim(),
    end: m[4]!.trim(),
    max: DEFAULT_PAGE,
  };
  for (const option of (m[5] ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean)) {
    const [name, value = ""] = option.split("=").map((s) => s.trim());
    if (name === "max" && /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_PAGE) {
      spec.max = Number(value);
    } else if (name === "order" && (value === "asc" || value === "desc")) {
      spec.order = value;
    } else {
      throw new FakeHttpError(400, "invalid_range", `Invalid Range option: ${option}`);
    }
  }
  return spec;
}
