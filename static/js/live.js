/* Live notifications and new posts, on top of pages that work without JavaScript.
 *
 * The server puts this socket in its member's room when it connects with the session cookie,
 * and in a thread's room only after checking the member may see that thread. Notifications
 * update the header badge (and the list, on /notifications). On a thread page, new posts show
 * an "N new posts" bar; clicking it fetches them over HTTP and appends them, so the reader's
 * place on the page never jumps. After a reconnect the page catches up from the stored rows.
 */
(function () {
  "use strict";
  if (typeof io !== "function") return;
  var body = document.body;
  if (!body.dataset.liveSince) return; // signed out

  var since = body.dataset.liveSince;
  var badge = document.getElementById("notification-count");
  var announcer = document.getElementById("live-announcer");
  var socket = io(); // long-polling first, then upgraded to a websocket where the path allows
  window.councilSocket = socket; // shared with page scripts (messages.js), one socket a page
  var connectedBefore = false;

  function setUnread(count) {
    if (!badge) return;
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.dataset.count = String(count);
    badge.hidden = count === 0;
    // The tab's title leads with the count, as the server wrote it: "(3) Thread · Council".
    var title = document.title.replace(/^\(\d+\+?\) /, "");
    document.title = count ? "(" + badge.textContent + ") " + title : title;
  }

  function addToList(notification) {
    // The page groups rows by what they are about: the group's row moves to the top, with the
    // new row's words, unread; a reload shows it summed up as the server words it.
    var list = document.getElementById("notification-list");
    if (!list) return;
    var existing = list.querySelector('[data-group="' + notification.group + '"]') ||
      list.querySelector('[data-id="' + notification.id + '"]');
    if (existing) existing.remove();
    var item = document.createElement("li");
    item.className = "notification unread";
    item.dataset.id = String(notification.id);
    item.dataset.group = notification.group;
    var body = document.createElement("span");
    body.className = "notification-body";
    var link = document.createElement("a");
    link.className = "notification-text";
    link.href = "/notifications/" + encodeURIComponent(notification.id);
    link.textContent = notification.text;
    var when = document.createElement("span");
    when.className = "muted";
    when.textContent = "just now · unread";
    body.append(link, when);
    item.append(body);
    list.prepend(item);
    var empty = document.getElementById("notifications-empty");
    if (empty) empty.remove();
  }

  function receive(notification) {
    if (notification.created_at > since) since = notification.created_at;
    addToList(notification);
  }

  socket.on("notification", function (notification) {
    receive(notification);
    setUnread(notification.unread_count);
    if (announcer) announcer.textContent = notification.text;
  });

  socket.on("connect", function () {
    if (thread) socket.emit("watch_thread", { thread_id: thread.id });
    if (!connectedBefore) {
      connectedBefore = true;
      return;
    }
    // Back after a drop: fetch what arrived meanwhile from the stored notifications.
    fetch("/notifications/since?since=" + encodeURIComponent(since), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        data.notifications.forEach(receive);
        setUnread(data.unread_count);
      })
      .catch(function () { /* the next reconnect tries again */ });
  });

  // --- Thread pages: new posts without a jump -------------------------------------------
  var thread = (function () {
    var match = window.location.pathname.match(/^\/t\/(\d+)/);
    var list = document.querySelector("ol.posts");
    if (!match || !list) return null;
    var numbers = Array.prototype.map.call(list.querySelectorAll("li.post[id^=p]"), function (li) {
      return parseInt(li.id.slice(1), 10);
    });
    return {
      id: parseInt(match[1], 10),
      list: list,
      last: numbers.length ? Math.max.apply(null, numbers) : 0,
      lastPage: !document.querySelector('.pager a[rel="next"]'),
      waiting: {},
      bar: null,
    };
  })();

  function waitingCount() {
    return Object.keys(thread.waiting).length;
  }

  function showBar() {
    if (!thread.bar) {
      thread.bar = document.createElement("button");
      thread.bar.type = "button";
      thread.bar.className = "new-posts-bar";
      thread.bar.setAttribute("aria-live", "polite");
      thread.bar.addEventListener("click", loadNewPosts);
      thread.list.after(thread.bar);
    }
    var count = waitingCount();
    thread.bar.textContent = count === 1 ? "1 new post: show it" : count + " new posts: show them";
    thread.bar.hidden = false;
  }

  function loadNewPosts() {
    if (!thread.lastPage) {
      window.location.href = "/t/" + thread.id + "/unread";
      return;
    }
    thread.bar.disabled = true;
    fetch("/t/" + thread.id + "/unread", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        page.querySelectorAll("ol.posts > li.post[id^=p]").forEach(function (li) {
          var number = parseInt(li.id.slice(1), 10);
          if (number > thread.last && !document.getElementById(li.id)) {
            thread.list.append(document.importNode(li, true));
            thread.last = number;
          }
          delete thread.waiting[number];
        });
        thread.waiting = {};
        thread.bar.hidden = true;
      })
      .finally(function () { thread.bar.disabled = false; });
  }

  if (thread) {
    socket.on("post", function (event) {
      if (event.thread_id !== thread.id || event.number <= thread.last) return;
      thread.waiting[event.number] = true;
      showBar();
    });
  }
})();
