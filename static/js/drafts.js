// Sign-out: the member who just signed out of this browser leaves no drafts behind for the
// next person at a shared computer. The server names their key prefix once, on the page after
// sign-out (data-clear-drafts, see community/forum/drafts.py); composer.js writes the keys.
(function () {
  "use strict";
  var script = document.currentScript;
  var prefix = script && script.getAttribute("data-clear-drafts");
  if (!prefix) return;
  try {
    var doomed = [];
    for (var i = 0; i < window.localStorage.length; i += 1) {
      var key = window.localStorage.key(i);
      if (key && key.indexOf(prefix) === 0) doomed.push(key);
    }
    doomed.forEach(function (key) {
      window.localStorage.removeItem(key);
    });
  } catch (error) {
    /* storage off: there are no drafts to clear */
  }
})();
