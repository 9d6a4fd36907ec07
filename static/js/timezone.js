/* Pre-select the browser's time zone in the time-zone setting, for a member who has not
 * chosen one yet (the select says so with data-detect-zone="true"). Nothing is saved until
 * the member presses the button.
 */
(function () {
  "use strict";
  var select = document.querySelector('select[data-detect-zone="true"]');
  if (!select) return;
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;
  var option = Array.prototype.find.call(select.options, function (item) {
    return item.value === zone;
  });
  if (!option) return;
  select.value = zone;
  var note = document.getElementById("zone-detected");
  if (note) {
    note.textContent = "Your browser says " + zone + "; save to use it.";
    note.hidden = false;
  }
})();
