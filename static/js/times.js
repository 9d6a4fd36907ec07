/* Times in the reader's own zone, on top of pages that show them in UTC.
 *
 * The server writes each time as <time datetime="...Z" data-when="style">text</time>
 * (community/core/timefmt.py) in the viewer's zone, which is UTC unless the member chose one
 * (then data-when is left out and the server's text stands). This rewrites those texts into the browser's zone, with the zone named ("14:30 CET"), in the
 * same styles and by the same relative rules. A time without data-when (an event in its own
 * zone, the editorial calendar in UTC) is left as the server wrote it.
 */
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone || zone === "UTC" || zone === "Etc/UTC") return; // the server's text is right

  var MINUTE = 60 * 1000, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  var named = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
  });
  var dayKey = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit"
  });

  function parts(date) {
    var out = {};
    named.formatToParts(date).forEach(function (part) { out[part.type] = part.value; });
    return out;
  }

  function dayBefore(key) {
    var ymd = key.split("-").map(Number);
    return new Date(Date.UTC(ymd[0], ymd[1] - 1, ymd[2] - 1)).toISOString().slice(0, 10);
  }

  function text(date, style, now) {
    var p = parts(date);
    var dayMonth = p.day + " " + p.month;
    var clock = p.hour + ":" + p.minute + " " + p.timeZoneName;
    if (style === "date") return dayMonth + " " + p.year;
    if (style === "time") return clock;
    if (style === "weekday") return p.weekday + " " + dayMonth;
    if (style !== "relative") return dayMonth + " " + p.year + " " + clock;
    var age = now - date;
    if (age < -MINUTE) return text(date, "datetime", now);
    if (age < MINUTE) return "just now";
    if (age < HOUR) return Math.floor(age / MINUTE) + " min ago";
    if (age < DAY) return Math.floor(age / HOUR) + " h ago";
    if (dayKey.format(date) === dayBefore(dayKey.format(now))) return "yesterday";
    return p.year === parts(now).year ? dayMonth : dayMonth + " " + p.year;
  }

  var now = new Date();
  document.querySelectorAll("time[data-when]").forEach(function (element) {
    var date = new Date(element.getAttribute("datetime"));
    if (isNaN(date.getTime())) return;
    var style = element.dataset.when;
    element.textContent = text(date, style, now);
    if (style === "relative") element.title = text(date, "datetime", now);
  });
})();
