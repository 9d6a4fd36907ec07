// @handle suggestions in the post editor. A textarea with data-mention-url asks that URL for
// the handles of members who can read the thread (or community) once "@" and a letter are
// typed, and offers them in a list below (name, title and handle, as their posts show them);
// Up/Down choose, Enter or Tab insert, Escape closes.
// Without this script the textarea works as before: mentions are typed by hand.
(function () {
  "use strict";

  var TRIGGER = /(^|[^\w@])@([a-z0-9][a-z0-9_.-]{0,29})$/i;
  var DELAY_MS = 150;

  function attach(textarea, index) {
    var url = textarea.getAttribute("data-mention-url");
    var list = document.createElement("ul");
    var listId = "mention-list-" + index;
    var timer = null;
    var active = -1;

    list.id = listId;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    textarea.insertAdjacentElement("afterend", list);
    textarea.setAttribute("aria-controls", listId);
    textarea.setAttribute("aria-autocomplete", "list");

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(next) {
      var items = list.children;
      if (!items.length) return;
      active = (next + items.length) % items.length;
      for (var i = 0; i < items.length; i++) {
        items[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      textarea.setAttribute("aria-activedescendant", items[active].id);
    }

    function insert(handle) {
      var caret = textarea.selectionStart;
      var typed = TRIGGER.exec(textarea.value.slice(0, caret));
      if (!typed) return close();
      var start = caret - typed[2].length;
      var before = textarea.value.slice(0, start);
      var after = textarea.value.slice(caret);
      textarea.value = before + handle + " " + after;
      var position = start + handle.length + 1;
      textarea.setSelectionRange(position, position);
      textarea.focus();
      close();
      textarea.dispatchEvent(new Event("input", { bubbles: true })); // the draft keeps it
    }

    function show(members) {
      close();
      if (!members.length) return;
      members.forEach(function (member, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("data-handle", member.handle);
        var name = document.createElement("span");
        name.className = "mention-name";
        name.textContent = member.name || "@" + member.handle;
        item.appendChild(name);
        var details = document.createElement("span");
        details.className = "mention-details";
        details.textContent = "@" + member.handle + (member.title ? " · " + member.title : "");
        item.appendChild(details);
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus (and the caret) in the textarea
          insert(member.handle);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      highlight(0);
    }

    function lookup() {
      var text = textarea.value.slice(0, textarea.selectionStart);
      var match = TRIGGER.exec(text);
      if (!match) {
        close();
        return;
      }
      var query = match[2];
      fetch(url + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { members: [] };
        })
        .then(function (data) {
          // Answer only the latest question: the text may have changed meanwhile.
          var now = TRIGGER.exec(textarea.value.slice(0, textarea.selectionStart));
          if (now && now[2] === query) show(data.members || []);
        })
        .catch(close);
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, DELAY_MS);
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        insert(list.children[active].getAttribute("data-handle"));
      } else if (event.key === "Escape") {
        close();
      }
    });
    textarea.addEventListener("blur", close);
  }

  var fields = document.querySelectorAll("textarea[data-mention-url]");
  for (var i = 0; i < fields.length; i++) attach(fields[i], i);
})();
