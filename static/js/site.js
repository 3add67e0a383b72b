// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  // Remember the browser's zone so the server can show times in it (profile setting wins).
  if (document.cookie.indexOf("tz=") === -1) {
    document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("select[name=time_zone]");
    if (select && !select.value) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === zone) { select.value = zone; break; }
      }
    }
  });
})();
