/* A private conversation, live: the page joins the conversation's room over the shared socket
 * (live.js; the server checks access first) and, told of a new message, fetches it over HTTP
 * and appends it. The page works without JavaScript: sending is a plain form.
 */
(function () {
  "use strict";
  var list = document.getElementById("messages");
  var socket = window.councilSocket;
  if (!list || !socket) return;
  var id = parseInt(list.dataset.conversation, 10);
  var last = parseInt(list.dataset.last, 10) || 0;
  var onLastPage = list.dataset.lastPage === "true";
  var announcer = document.getElementById("live-announcer");
  var loading = false;
  var again = false;

  function watch() {
    socket.emit("watch_conversation", { conversation_id: id });
  }
  socket.on("connect", watch);
  if (socket.connected) watch();

  function append(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var added = 0;
    holder.content.querySelectorAll("li.message").forEach(function (item) {
      var number = parseInt(item.dataset.number, 10);
      if (number > last) {
        list.appendChild(item);
        last = number;
        added += 1;
      }
    });
    if (added && announcer) announcer.textContent = added === 1 ? "1 new message" : added + " new messages";
  }

  function fetchNew() {
    if (loading) { again = true; return; }
    loading = true;
    fetch("/messages/" + id + "/since?after=" + last, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(append)
      .catch(function () { /* the next message or reload catches up */ })
      .then(function () {
        loading = false;
        if (again) { again = false; fetchNew(); }
      });
  }

  socket.on("conversation_message", function (data) {
    if (!data || data.conversation_id !== id || data.number <= last || !onLastPage) return;
    fetchNew();
  });
})();
