/* Install the service worker (/sw.js): it shows an offline page when the network fails and
 * caches no member content. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var script = document.currentScript;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(script.dataset.worker, { scope: "/" }).catch(function () {});
  });
})();
