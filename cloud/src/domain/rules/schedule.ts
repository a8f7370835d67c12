import { addDays, formatMinutes, type LocalParts, minutesOf, previousWeekday } from "./localTime.js";
import type { Schedule, Weekday } from "./ruleSpec.js";

export type ScheduleCheck = { readonly ok: true } | { readonly ok: false; readonly text: string };

/**
 * Whether local time `at` falls inside `schedule`. Every part is wall-clock in the store's
 * timezone. The "schedule day" is the local day, except in the after-midnight part of a window
 * that crosses midnight, where it is the day before (the day the window opened): `days`, `from`
 * and `until` are checked against that day.
 */
export function checkSchedule(schedule: Schedule | undefined, at: LocalParts): ScheduleCheck {
  if (schedule === undefined) return { ok: true };
  const windows = schedule.windows;
  if (windows === undefined) return checkDay(schedule, at.dayKey, at.weekday);

  const t = at.minuteOfDay;
  let dayProblem: string | null = null;
  for (const w of windows) {
    const start = minutesOf(w.start);
    const end = minutesOf(w.end);
    // Which schedule day this window puts `at` on, or null when `at` is outside it.
    let day: { key: string; weekday: Weekday } | null = null;
    if (start < end) {
      if (t >= start && t < end) day = { key: at.dayKey, weekday: at.weekday };
    } else if (t >= start) {
      day = { key: at.dayKey, weekday: at.weekday };
    } else if (t < end) {
      day = { key: addDays(at.dayKey, -1), weekday: previousWeekday(at.weekday) };
    }
    if (day === null) continue;
    const check = checkDay(schedule, day.key, day.weekday);
    if (check.ok) return check;
    dayProblem ??= check.text;
  }
  if (dayProblem !== null) return { ok: false, text: dayProblem };
  const list = windows.map((w) => `${w.start}-${w.end}`).join(", ");
  return { ok: false, text: `local time ${formatMinutes(t)} is outside ${list}` };
}

function checkDay(schedule: Schedule, dayKey: string, weekday: Weekday): ScheduleCheck {
  if (schedule.from !== undefined && dayKey < schedule.from) {
    return { ok: false, text: `local day ${dayKey} is before from ${schedule.from}` };
  }
  if (schedule.until !== undefined && dayKey > schedule.until) {
    return { ok: false, text: `local day ${dayKey} is after until ${schedule.until}` };
  }
  if (schedule.days !== undefined && !schedule.days.includes(weekday)) {
    return { ok: false, text: `${weekday} ${dayKey} is not one of ${schedule.days.join(", ")}` };
  }
  return { ok: true };
}
