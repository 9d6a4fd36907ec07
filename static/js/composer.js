// The post editor, on top of a plain textarea that works without this script
// (templates/forum/_composer.html):
// - a toolbar (bold, italic, link, list, quote, mention, picture) that edits the selection,
//   with Ctrl/Cmd+B, I and K;
// - a Preview tab: the text rendered by the server's own renderer (POST, CSRF token);
// - drafts kept in localStorage per member and place as one types, restored after a reload or
//   a lost connection, and cleared once the server says the post went through
//   (data-drafts-posted, see community/forum/drafts.py);
// - pictures pasted or dropped into the text (or chosen with the picture button) are uploaded
//   and inserted as Markdown.
(function () {
  "use strict";

  var SAVE_DELAY_MS = 700;
  var uploads = 0;

  function attach(box) {
    var textarea = box.querySelector("textarea");
    if (!textarea || !window.fetch) return;
    var form = textarea.form;
    var preview = box.querySelector(".composer-preview");
    // A polite live region, not role="status": the page's own messages keep that role.
    var status = document.createElement("p");
    status.className = "composer-status muted";
    status.setAttribute("aria-live", "polite");
    box.appendChild(status);
    var draftKey = box.getAttribute("data-draft-key");
    var initial = textarea.value;
    var timer = null;

    function csrfToken() {
      var input = form && form.querySelector("input[name=csrf_token]");
      return input ? input.value : "";
    }

    function say(text, action) {
      status.textContent = text;
      if (action) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "link-button";
        button.textContent = action.label;
        button.addEventListener("click", action.run);
        status.appendChild(document.createTextNode(" "));
        status.appendChild(button);
      }
    }

    // --- editing the selection ----------------------------------------------------------

    function replace(start, end, text, selectFrom, selectTo) {
      textarea.focus();
      textarea.setSelectionRange(start, end);
      // insertText keeps the browser's undo history; setRangeText where it is missing.
      var done = false;
      try {
        done = document.execCommand("insertText", false, text);
      } catch (error) {
        done = false;
      }
      if (!done || textarea.value.slice(start, start + text.length) !== text) {
        textarea.setRangeText(text, start, end, "end");
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
      }
      textarea.setSelectionRange(start + selectFrom, start + selectTo);
    }

    function wrap(mark, placeholder) {
      var start = textarea.selectionStart;
      var end = textarea.selectionEnd;
      var chosen = textarea.value.slice(start, end) || placeholder;
      replace(start, end, mark + chosen + mark, mark.length, mark.length + chosen.length);
    }

    function link() {
      var start = textarea.selectionStart;
      var end = textarea.selectionEnd;
      var chosen = textarea.value.slice(start, end);
      if (chosen) {
        var text = "[" + chosen + "](https://)";
        replace(start, end, text, chosen.length + 3, text.length - 1);
      } else {
        replace(start, end, "[link text](https://)", 1, 10);
      }
    }

    function prefixLines(prefix, placeholder) {
      var value = textarea.value;
      var start = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
      var end = textarea.selectionEnd;
      var lineEnd = value.indexOf("\n", end);
      end = lineEnd === -1 ? value.length : lineEnd;
      var lines = (value.slice(start, end) || placeholder).split("\n");
      var all = lines.every(function (line) {
        return !line.trim() || line.indexOf(prefix) === 0;
      });
      var text = lines
        .map(function (line) {
          if (!line.trim()) return line;
          return all ? line.slice(prefix.length) : prefix + line;
        })
        .join("\n");
      replace(start, end, text, 0, text.length);
    }

    function mention() {
      var start = textarea.selectionStart;
      var before = textarea.value.slice(0, start);
      var text = /[^\s(]$/.test(before) ? " @" : "@";
      replace(start, textarea.selectionEnd, text, text.length, text.length);
    }

    // --- pictures -----------------------------------------------------------------------

    var picker = document.createElement("input");
    picker.type = "file";
    picker.accept = "image/png,image/jpeg,image/gif,image/webp";
    picker.hidden = true;
    picker.addEventListener("change", function () {
      Array.prototype.forEach.call(picker.files, upload);
      picker.value = "";
    });
    box.appendChild(picker);

    function upload(file) {
      if (!/^image\//.test(file.type)) return;
      uploads += 1;
      var placeholder = "![Uploading picture " + uploads + "…]()";
      var start = textarea.selectionEnd; // after a selection, never over it
      var text = (start && textarea.value[start - 1] !== "\n" ? "\n" : "") + placeholder + "\n";
      replace(start, start, text, text.length, text.length);
      say("Uploading the picture…");
      var data = new FormData();
      data.append("image", file, file.name || "pasted.png");
      fetch(box.getAttribute("data-image-url"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      })
        .then(function (response) {
          return response.json().then(
            function (answer) {
              return answer;
            },
            function () {
              return { error: "The picture could not be uploaded (error " + response.status + ")." };
            }
          );
        })
        .then(function (answer) {
          swapPlaceholder(placeholder, answer.markdown || "");
          say(answer.markdown ? "Picture added." : answer.error);
        })
        .catch(function () {
          swapPlaceholder(placeholder, "");
          say("The picture could not be uploaded: no connection. Try again in a moment.");
        });
    }

    function swapPlaceholder(placeholder, markdown) {
      var at = textarea.value.indexOf(placeholder);
      if (at === -1) return;
      var caret = textarea.selectionStart;
      var end = at + placeholder.length;
      if (!markdown && textarea.value[end] === "\n") end += 1;
      textarea.value = textarea.value.slice(0, at) + markdown + textarea.value.slice(end);
      var shift = markdown.length - (end - at);
      var position = caret >= end ? caret + shift : Math.min(caret, textarea.value.length);
      textarea.setSelectionRange(position, position);
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function pictures(list) {
      return Array.prototype.filter.call(list || [], function (file) {
        return /^image\//.test(file.type);
      });
    }

    textarea.addEventListener("paste", function (event) {
      var files = pictures(event.clipboardData && event.clipboardData.files);
      if (!files.length) return;
      event.preventDefault();
      files.forEach(upload);
    });
    textarea.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1) {
        event.preventDefault();
      }
    });
    textarea.addEventListener("drop", function (event) {
      var files = pictures(event.dataTransfer && event.dataTransfer.files);
      if (!files.length) return;
      event.preventDefault();
      textarea.focus();
      files.forEach(upload);
    });

    // --- the toolbar and the tabs ---------------------------------------------------------

    var bar = document.createElement("div");
    bar.className = "composer-bar";
    var tabs = document.createElement("div");
    tabs.className = "composer-tabs";
    tabs.setAttribute("role", "tablist");
    tabs.setAttribute("aria-label", "Write or preview");
    var tools = document.createElement("div");
    tools.className = "composer-tools";
    tools.setAttribute("role", "toolbar");
    tools.setAttribute("aria-label", "Formatting");
    tools.setAttribute("aria-controls", textarea.id);
    bar.appendChild(tabs);
    bar.appendChild(tools);
    textarea.parentNode.insertBefore(bar, textarea);

    function tab(label, selected, controls) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "composer-tab";
      button.id = textarea.id + "-tab-" + label.toLowerCase();
      button.textContent = label;
      button.setAttribute("role", "tab");
      button.setAttribute("aria-selected", selected ? "true" : "false");
      button.setAttribute("aria-controls", controls);
      tabs.appendChild(button);
      return button;
    }
    var writeTab = tab("Write", true, textarea.id);
    var previewTab = tab("Preview", false, preview.id);
    preview.setAttribute("aria-labelledby", previewTab.id);

    var shortcut = /Mac|iPhone|iPad/.test(navigator.platform || "") ? "⌘" : "Ctrl+";
    var actions = {
      bold: function () { wrap("**", "bold text"); },
      italic: function () { wrap("_", "italic text"); },
      link: link,
    };
    [
      ["bold", "B", "Bold", "B"],
      ["italic", "I", "Italic", "I"],
      ["link", "Link", "Link", "K"],
      ["list", "• List", "Bulleted list", ""],
      ["quote", "❝ Quote", "Quote", ""],
      ["mention", "@", "Mention someone", ""],
      ["picture", "Picture", "Add a picture", ""],
    ].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "composer-tool tool-" + spec[0];
      button.textContent = spec[1];
      var label = spec[2] + (spec[3] ? " (" + shortcut + spec[3] + ")" : "");
      button.setAttribute("aria-label", label);
      button.title = label;
      button.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the selection in the textarea
      });
      button.addEventListener("click", function () {
        if (spec[0] === "picture") return picker.click();
        if (spec[0] === "list") return prefixLines("- ", "list item");
        if (spec[0] === "quote") return prefixLines("> ", "quoted text");
        if (spec[0] === "mention") return mention();
        actions[spec[0]]();
      });
      tools.appendChild(button);
    });

    textarea.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      var action = { b: actions.bold, i: actions.italic, k: actions.link }[event.key.toLowerCase()];
      if (!action) return;
      event.preventDefault();
      action();
    });

    function showWrite() {
      writeTab.setAttribute("aria-selected", "true");
      previewTab.setAttribute("aria-selected", "false");
      preview.hidden = true;
      textarea.hidden = false;
      tools.hidden = false;
      textarea.focus();
    }

    function showPreview() {
      writeTab.setAttribute("aria-selected", "false");
      previewTab.setAttribute("aria-selected", "true");
      preview.style.minHeight = textarea.offsetHeight + "px";
      textarea.hidden = true;
      tools.hidden = true;
      preview.hidden = false;
      preview.setAttribute("aria-busy", "true");
      preview.textContent = "Rendering the preview…";
      var data = new FormData();
      data.append("body", textarea.value);
      fetch(box.getAttribute("data-preview-url"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      })
        .then(function (response) {
          return response.json().catch(function () {
            return { error: "The preview is not available now (error " + response.status + ")." };
          });
        })
        .then(function (answer) {
          if (answer.html !== undefined) {
            // The server's own sanitized rendering, exactly what the post would store.
            preview.innerHTML = answer.html || "<p class=\"muted\">Nothing to preview yet.</p>";
          } else {
            preview.textContent = answer.error;
          }
        })
        .catch(function () {
          preview.textContent = "The preview needs a connection; your text is kept.";
        })
        .then(function () {
          preview.removeAttribute("aria-busy");
        });
    }

    writeTab.addEventListener("click", showWrite);
    previewTab.addEventListener("click", showPreview);
    tabs.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
      var next = event.target === writeTab ? previewTab : writeTab;
      next.focus();
      next.click();
    });

    // --- drafts ---------------------------------------------------------------------------

    function store(action, value) {
      try {
        if (action === "get") return window.localStorage.getItem(draftKey);
        if (action === "set") window.localStorage.setItem(draftKey, value);
        if (action === "remove") window.localStorage.removeItem(draftKey);
      } catch (error) {
        return null; // storage off or full: the form still works, without drafts
      }
      return null;
    }

    function saveDraft() {
      clearTimeout(timer);
      timer = null;
      if (textarea.value === initial || !textarea.value.trim()) {
        store("remove");
        return false;
      }
      store("set", textarea.value);
      return true;
    }

    var prefix = box.getAttribute("data-draft-prefix");
    (box.getAttribute("data-drafts-posted") || "").split(" ").forEach(function (scope) {
      if (!scope) return;
      try {
        window.localStorage.removeItem(prefix + scope);
      } catch (error) {
        /* storage off */
      }
    });

    var saved = store("get");
    // A form sent back with an error already holds the latest text: keep it.
    if (saved && saved !== textarea.value && !box.hasAttribute("data-has-errors")) {
      var before = textarea.value;
      textarea.value = saved;
      say("Draft restored —", {
        label: "discard",
        run: function () {
          textarea.value = before;
          store("remove");
          say("Draft discarded.");
          textarea.focus();
        },
      });
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        // Said once, not on every pause: the note is a live region.
        if (saveDraft() && status.textContent !== "Draft saved.") say("Draft saved.");
      }, SAVE_DELAY_MS);
    });
    // Leaving (a reload, a closed tab, a phone putting the page away): save what is pending.
    window.addEventListener("pagehide", function () {
      if (timer) saveDraft();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && timer) saveDraft();
    });
  }

  var boxes = document.querySelectorAll(".composer");
  for (var i = 0; i < boxes.length; i++) attach(boxes[i]);
})();
